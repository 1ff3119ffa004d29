"use client";
import { useState } from "react";
import { Button, Card, Notice, ui } from "@/components/ui";
import styles from "./SeedStep.module.css";

/** Shows the words only when asked (B1): no clipboard, a warning about screenshots and cloud notes. */
export function SeedStep({ mnemonic, onDone }: { mnemonic: string; onDone: () => void }) {
  const [revealed, setRevealed] = useState(false);
  const words = mnemonic.split(" ");
  return (
    <Card aria-labelledby="seed-h">
      <h2 id="seed-h">Your recovery phrase</h2>
      <p>
        These {words.length} words are the key to your wallet. Write them on paper, in order, and keep the paper
        somewhere safe.
      </p>
      <Notice block>
        Do not take a screenshot, do not paste them into notes that sync to a cloud, and never type them into a website
        or share them. Anyone with these words controls your wallet.
      </Notice>
      {revealed ? (
        <ol className={styles.words} data-testid="seed-words" aria-label="Recovery phrase words">
          {words.map((w, i) => (
            <li key={i}>
              <span>{i + 1}.</span>
              {w}
            </li>
          ))}
        </ol>
      ) : (
        <Button onClick={() => setRevealed(true)}>Reveal my words</Button>
      )}
      {revealed && (
        <div className={ui.row}>
          <Button variant="secondary" onClick={() => setRevealed(false)}>
            Hide words
          </Button>
          <Button onClick={onDone}>I wrote them down</Button>
        </div>
      )}
    </Card>
  );
}
