import { BackupError } from "./errors.js";
import { parseMnemonic } from "./mnemonic.js";

/** Word positions (1-based, ascending) the user must type back to prove they wrote the words down (B4). */
export interface WordQuiz {
  positions: number[];
}

/** Picks `count` distinct random positions of the phrase with the platform CSPRNG. */
export function makeWordQuiz(mnemonic: string, count = 3): WordQuiz {
  const total = parseMnemonic(mnemonic).split(" ").length;
  if (!Number.isInteger(count) || count < 1 || count > total) throw new RangeError(`count must be 1..${total}`);
  const positions = new Set<number>();
  const random = new Uint32Array(1);
  while (positions.size < count) {
    globalThis.crypto.getRandomValues(random);
    positions.add((random[0]! % total) + 1);
  }
  return { positions: [...positions].sort((a, b) => a - b) };
}

/** A quiz answer that does not match the written-down words. */
export class QuizMismatchError extends BackupError {
  override name = "QuizMismatchError";
  constructor(readonly wrongPositions: readonly number[]) {
    super(
      "QUIZ_MISMATCH",
      `Word${wrongPositions.length > 1 ? "s" : ""} ${wrongPositions.join(", ")} ` +
        `${wrongPositions.length > 1 ? "do" : "does"} not match your recovery phrase: check what you wrote down.`,
    );
  }
}

/** Checks the typed words (case and spaces ignored) against the phrase; throws QuizMismatchError naming the wrong positions. */
export function checkWordQuiz(mnemonic: string, quiz: WordQuiz, answers: readonly string[]): void {
  const words = parseMnemonic(mnemonic).split(" ");
  const wrong = quiz.positions.filter((p, i) => (answers[i] ?? "").trim().toLowerCase() !== words[p - 1]);
  if (wrong.length) throw new QuizMismatchError(wrong);
}
