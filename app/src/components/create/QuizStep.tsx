"use client";
import { useId, useMemo, useState } from "react";
import { Button, Field, Notice, ui } from "@/components/ui";

function pickPositions(count: number, total: number): number[] {
  const picked = new Set<number>();
  const random = new Uint32Array(16);
  while (picked.size < count) {
    crypto.getRandomValues(random);
    for (const r of random) if (picked.size < count) picked.add(r % total);
  }
  return [...picked].sort((a, b) => a - b);
}

/** B4: the user proves the words were written down before the account is used. */
export function QuizStep({
  mnemonic,
  onPassed,
  onBack,
}: {
  mnemonic: string;
  onPassed: () => void;
  onBack: () => void;
}) {
  const words = mnemonic.split(" ");
  const positions = useMemo(() => pickPositions(3, words.length), [words.length]);
  const [answers, setAnswers] = useState<string[]>(positions.map(() => ""));
  const [error, setError] = useState("");
  const id = useId();
  const check = (e: React.FormEvent) => {
    e.preventDefault();
    const wrong = positions.filter((p, i) => answers[i]!.trim().toLowerCase() !== words[p]);
    if (wrong.length) {
      setError(`Word ${wrong.map((p) => `#${p + 1}`).join(", ")} is not right. Check your paper and try again.`);
      return;
    }
    onPassed();
  };
  return (
    <form className={ui.card} onSubmit={check} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Check your paper</h2>
      <p>Type the words at these positions from what you wrote down.</p>
      {positions.map((p, i) => (
        <Field
          key={p}
          label={`Word #${p + 1}`}
          id={`${id}-${p}`}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={answers[i]}
          onChange={(e) => setAnswers((a) => a.map((v, j) => (j === i ? e.target.value : v)))}
        />
      ))}
      {error && (
        <Notice tone="error" role="alert">
          {error}
        </Notice>
      )}
      <Button type="submit">Check words</Button>
      <Button variant="secondary" onClick={onBack}>
        Show the words again
      </Button>
    </form>
  );
}
