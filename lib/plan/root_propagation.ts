/**
 * The propagation a new mount namespace gives its `/` (recursively), as
 * `unshare --propagation` takes it.
 *
 * @module
 */

import { UsageError } from "../errors.ts";

/** The modes of `--propagation`. */
export const ROOT_PROPAGATIONS = [
  "private",
  "shared",
  "slave",
  "unchanged",
] as const;

/** One of {@linkcode ROOT_PROPAGATIONS}. */
export type RootPropagation = typeof ROOT_PROPAGATIONS[number];

/**
 * Whether a word is one of {@linkcode ROOT_PROPAGATIONS}.
 *
 * @example
 * ```ts
 * isRootPropagation("unchanged"); // true
 * ```
 */
export function isRootPropagation(word: string): word is RootPropagation {
  return (ROOT_PROPAGATIONS as readonly string[]).includes(word);
}

/**
 * Checks a `--propagation` word, or throws a usage error naming the modes.
 *
 * @example
 * ```ts
 * parseRootPropagation("slave", "mntns isolate"); // "slave"
 * ```
 */
export function parseRootPropagation(
  word: string,
  command: string,
): RootPropagation {
  if (!isRootPropagation(word)) {
    throw new UsageError(
      `unsupported propagation mode '${word}' (one of: ${
        ROOT_PROPAGATIONS.join(", ")
      })`,
      command,
    );
  }
  return word;
}
