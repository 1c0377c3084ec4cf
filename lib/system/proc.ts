/**
 * What mntns reads of its own process in /proc: whether /proc is there at
 * all (rescue shells often run without it, and mntns needs it to read mount
 * tables and to start itself again), and what its caller gave it — its
 * words, environment and signal state, byte for byte.
 *
 * @module
 */

import { environStrings } from "../../ffi/environ.ts";
import { splitNulList } from "../bytes.ts";
import { callerSignalState, type SignalState } from "./signals.ts";
import { CommandError } from "../errors.ts";

/** What the caller gave mntns: its environment and its signal state. */
export interface Caller {
  /** The environment, `K=V` strings in order (`/proc/self/environ`). */
  env: readonly string[];
  /** The signal state, less what Deno added. */
  signals: SignalState;
}

/** What to say when /proc is not mounted. */
export const PROC_MISSING =
  "/proc is not mounted — mount it with 'mount -t proc proc /proc'";

/**
 * Whether /proc is mounted (this process's own entry is there).
 *
 * @example
 * ```ts
 * isProcMounted(); // true
 * ```
 */
export function isProcMounted(): boolean {
  try {
    Deno.statSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws a one-line {@linkcode CommandError} when /proc is not mounted.
 *
 * @example
 * ```ts
 * requireProc();
 * ```
 */
export function requireProc(): void {
  if (!isProcMounted()) throw new CommandError(PROC_MISSING);
}

/**
 * The words mntns was given, byte for byte. Deno.args decodes them as UTF-8
 * and replaces each byte that is not with U+FFFD, so it is exact when it
 * holds no U+FFFD; otherwise they are the last `Deno.args.length` words of
 * `/proc/self/cmdline` (see lib/bytes.ts for how such bytes are kept).
 * Without /proc, Deno.args.
 *
 * @example
 * ```ts
 * callerArgs(); // ["isolate", "--", "printf", "%s", "a\udcffb"]
 * ```
 */
export function callerArgs(): string[] {
  const count = Deno.args.length;
  if (!Deno.args.some((word) => word.includes("\ufffd"))) return [...Deno.args];
  let words: string[];
  try {
    words = splitNulList(Deno.readFileSync("/proc/self/cmdline"));
  } catch {
    return [...Deno.args];
  }
  return words.length >= count ? words.slice(-count) : [...Deno.args];
}

/**
 * The environment mntns was given, byte for byte and in order, from
 * `/proc/self/environ`: glibc's `environ` may hold what Deno added at start
 * (with PATH unset, a PATH of its own and DENO_NODE_SHIM_ACTIVE). Without
 * /proc, glibc's `environ`.
 *
 * @example
 * ```ts
 * callerEnvironment(); // ["HOME=/root", "PATH=/usr/bin:/bin"]
 * ```
 */
export function callerEnvironment(): string[] {
  try {
    return splitNulList(Deno.readFileSync("/proc/self/environ"));
  } catch {
    return environStrings();
  }
}

/**
 * What the caller gave mntns: its environment and its signal state (less
 * what Deno added, as lib/system/signals.ts keeps it).
 *
 * @example
 * ```ts
 * readCaller().env; // ["HOME=/root", "PATH=/usr/bin:/bin"]
 * ```
 */
export function readCaller(): Caller {
  return { env: callerEnvironment(), signals: callerSignalState() };
}
