import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import { EmptyInputError, WeakPasswordError } from "./errors.js";

/** A backup password needs at least this many characters... */
export const MIN_PASSWORD_LENGTH = 12;
/** ...and at least this zxcvbn score (0 = too guessable ... 4 = very unguessable). */
export const MIN_PASSWORD_SCORE = 3;

export interface PasswordStrength {
  /** zxcvbn score 0..4, for a strength meter. */
  score: 0 | 1 | 2 | 3 | 4;
  /** Whether the password may protect a backup (length and score). */
  acceptable: boolean;
  /** Why not, or an empty string. */
  warning: string;
  /** How to make it stronger. */
  suggestions: string[];
}

let estimator: ZxcvbnFactory | undefined;

function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return estimator;
}

/**
 * Scores a backup password. `userInputs` are words an attacker would try first (account address,
 * guardian names, e-mail): a password built from them scores lower.
 */
export function backupPasswordStrength(password: string, userInputs: readonly string[] = []): PasswordStrength {
  const result = zxcvbn().check(password, [...userInputs]);
  const score = result.score as PasswordStrength["score"];
  const suggestions = [...result.feedback.suggestions];
  let warning = "";
  if (password.length < MIN_PASSWORD_LENGTH) {
    warning = `use at least ${MIN_PASSWORD_LENGTH} characters (this one has ${password.length}).`;
  } else if (score < MIN_PASSWORD_SCORE) {
    warning = `${result.feedback.warning ?? "it is easy to guess"} (strength ${score}/4, ${MIN_PASSWORD_SCORE} needed).`;
  }
  return { score, acceptable: warning === "", warning, suggestions };
}

/** Throws EmptyInputError or WeakPasswordError unless the password may protect a backup. */
export function assertStrongBackupPassword(password: string, userInputs: readonly string[] = []): void {
  if (password.length === 0) throw new EmptyInputError("backup password");
  const strength = backupPasswordStrength(password, userInputs);
  if (!strength.acceptable) throw new WeakPasswordError(strength.score, strength.warning);
}
