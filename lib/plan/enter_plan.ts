/**
 * The plan of `mntns enter`: whose namespaces to join, which of them, and
 * the command to run there. Plain data, tested without root.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { ExecTarget } from "./exec_target.ts";
import type { UnshareName } from "../system/process_namespaces.ts";

/** What `enter` joins: a process, a file that keeps a namespace, or a run by name. */
export type EnterTarget =
  /** A process, by PID. */
  | { kind: "pid"; pid: number }
  /** A file a namespace is bound on (`isolate --mount=FILE`, `unshare --mount=FILE`). */
  | { kind: "file"; path: string }
  /** A running `mntns run`, by its hostname. */
  | { kind: "name"; name: string };

/**
 * The namespaces `enter` can join, in the order it joins them (nsenter's):
 * the mount namespace last, so the others are found through the caller's
 * /proc; user and time namespaces are not entered.
 */
export const ENTER_ORDER: readonly UnshareName[] = [
  "cgroup",
  "ipc",
  "uts",
  "net",
  "pid",
  "mnt",
];

/** What `mntns enter` will do. */
export interface EnterPlan {
  /** Whose namespaces. */
  target: EnterTarget;
  /** The namespaces asked for; null: every one of the target's that differs from the caller's. */
  namespaces: UnshareName[] | null;
  /** Working directory inside, after the target's root and directory are taken; null: the target's. */
  wd: string | null;
  /** The command: argv, the caller's environment and signal state. */
  command: ExecTarget;
}

/**
 * Reads `enter`'s TARGET word: decimal digits are a PID, a word with a `/`
 * is a file (`./ns` for one in the working directory), anything else the
 * hostname of a running `mntns run`.
 *
 * @example
 * ```ts
 * enterTarget("1234", "mntns enter"); // { kind: "pid", pid: 1234 }
 * enterTarget("/run/ns/box", "mntns enter"); // { kind: "file", path: "/run/ns/box" }
 * enterTarget("box", "mntns enter"); // { kind: "name", name: "box" }
 * ```
 */
export function enterTarget(word: string, command: string): EnterTarget {
  if (word === "") {
    throw new UsageError(
      "TARGET is empty: give a PID, a namespace file or a run's hostname",
      command,
    );
  }
  if (/^[0-9]+$/.test(word)) {
    const pid = Number(word);
    if (!Number.isSafeInteger(pid) || pid < 1) {
      throw new UsageError(`'${word}' is not a process ID`, command);
    }
    return { kind: "pid", pid };
  }
  if (word.includes("/")) return { kind: "file", path: word };
  return { kind: "name", name: word };
}
