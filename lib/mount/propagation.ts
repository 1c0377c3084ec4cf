/**
 * Propagation types: what a mount's optional fields mean, and the modes that
 * change them (their `mount(2)` flags: lib/exec/propagation_flags.ts).
 *
 * @module
 */

import type { Mount } from "./mountinfo.ts";

/** The propagation of one mount, by its plain name. */
export type Propagation =
  | "private"
  | "shared"
  | "slave"
  | "shared,slave"
  | "unbindable";

/** The modes `propagation set` and `mount --make-*` take. */
export const PROPAGATION_MODES = [
  "private",
  "shared",
  "slave",
  "unbindable",
] as const;

/** A mode of {@linkcode PROPAGATION_MODES}. */
export type PropagationMode = typeof PROPAGATION_MODES[number];

/**
 * The propagation a mount has, from its optional fields.
 *
 * @example
 * ```ts
 * propagationOf({ peer: 3, master: 1, unbindable: false }); // "shared,slave"
 * ```
 */
export function propagationOf(
  mount: Pick<Mount, "peer" | "master" | "unbindable">,
): Propagation {
  if (mount.peer !== null) {
    return mount.master !== null ? "shared,slave" : "shared";
  }
  if (mount.master !== null) return "slave";
  return mount.unbindable ? "unbindable" : "private";
}

/**
 * Whether a word is one of the {@linkcode PROPAGATION_MODES}.
 *
 * @example
 * ```ts
 * isPropagationMode("slave"); // true
 * ```
 */
export function isPropagationMode(word: string): word is PropagationMode {
  return (PROPAGATION_MODES as readonly string[]).includes(word);
}
