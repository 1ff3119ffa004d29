import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { QuizMismatchError, checkWordQuiz, generateMnemonic, makeWordQuiz } from "../../../custos/backup/index.js";

describe("B4 words quiz", () => {
  const words = generateMnemonic();
  const list = words.split(" ");

  it("asks for distinct ascending positions inside the phrase", () => {
    for (let i = 0; i < 50; i++) {
      const { positions } = makeWordQuiz(words, 4);
      assert.equal(new Set(positions).size, 4);
      assert.deepEqual(
        [...positions].sort((a, b) => a - b),
        positions,
      );
      assert.ok(positions.every((p) => p >= 1 && p <= 12));
    }
  });

  it("accepts the right words, ignoring case and spaces", () => {
    const quiz = makeWordQuiz(words);
    assert.doesNotThrow(() =>
      checkWordQuiz(
        words,
        quiz,
        quiz.positions.map((p) => ` ${list[p - 1]!.toUpperCase()} `),
      ),
    );
  });

  it("names the positions answered wrongly", () => {
    const quiz = { positions: [2, 5, 9] };
    const answers = [list[1]!, "wrong", list[8]!];
    assert.throws(
      () => checkWordQuiz(words, quiz, answers),
      (e: unknown) =>
        e instanceof QuizMismatchError && e.wrongPositions.join() === "5" && /Word 5 does not match/.test(e.message),
    );
  });

  it("refuses an impossible number of questions", () => {
    assert.throws(() => makeWordQuiz(words, 13), RangeError);
  });
});
