/**
 * Signals by number: the ones mntns passes on, the caller's signal state as
 * mntns found it, and exit statuses (128 + N).
 *
 * @module
 */

import { CHANGEABLE_SIGNALS } from "../../ffi/signals.ts";
import type { ChildExit } from "../../ffi/wait.ts";

/** Which signals a process ignores and which it blocks, by number. */
export interface SignalState {
  /** Signals set to SIG_IGN; every other changeable one is SIG_DFL. */
  ignored: readonly number[];
  /** The blocked mask. */
  blocked: readonly number[];
}

/** Signal numbers mntns names in code. */
export const SIG = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  KILL: 9,
  USR1: 10,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  CHLD: 17,
  CONT: 18,
  URG: 23,
  WINCH: 28,
} as const;

/** The signals mntns passes on to the command it runs. */
export const FORWARDED_SIGNALS: readonly number[] = [
  SIG.HUP,
  SIG.INT,
  SIG.QUIT,
  SIG.USR1,
  SIG.USR2,
  SIG.ALRM,
  SIG.TERM,
  SIG.WINCH,
];

/**
 * Signals a Deno process ignores that its caller did not: SIGPIPE (Rust's
 * runtime ignores it), and 32 and 33, which glibc's `posix_spawn` leaves
 * ignored in every child (and which glibc programs cannot ignore).
 */
export const IGNORED_BY_DENO: readonly number[] = [SIG.PIPE, 32, 33];

/** A process's signal masks: ignored, caught, and blocked by its main thread. */
export interface SignalMasks {
  /** `SigIgn`: ignored. */
  ignored: bigint;
  /** `SigCgt`: caught. */
  caught: bigint;
  /** `SigBlk`: blocked by the main thread. */
  blocked: bigint;
}

const MASK_FIELDS = { ignored: "SigIgn", caught: "SigCgt", blocked: "SigBlk" };

/**
 * The signal masks of `/proc/PID/status`, read once, or null when it cannot
 * be read (the process is gone, or no /proc).
 *
 * @example
 * ```ts
 * signalMasks("self")?.ignored; // 0x1000n: SIGPIPE ignored
 * ```
 */
export function signalMasks(pid: number | "self"): SignalMasks | null {
  let status: string;
  try {
    status = Deno.readTextFileSync(`/proc/${pid}/status`);
  } catch {
    return null;
  }
  const masks = { ignored: 0n, caught: 0n, blocked: 0n };
  for (const [key, field] of Object.entries(MASK_FIELDS)) {
    const at = status.indexOf(`\n${field}:`);
    if (at < 0) return null;
    const hex = /[0-9a-f]+/.exec(status.slice(at + field.length + 2))?.[0];
    if (hex === undefined) return null;
    masks[key as keyof SignalMasks] = BigInt(`0x${hex}`);
  }
  return masks;
}

/**
 * Whether signal N is in a mask.
 *
 * @example
 * ```ts
 * inMask(0x1000n, 13); // true
 * ```
 */
export function inMask(mask: bigint, signal: number): boolean {
  return ((mask >> BigInt(signal - 1)) & 1n) === 1n;
}

function signalsIn(mask: bigint): number[] {
  return CHANGEABLE_SIGNALS.filter((signal) => inMask(mask, signal));
}

/** The caller's signal state as {@linkcode keepCallerSignalState} found it. */
let kept: SignalState | null = null;

/** The signal state of this process now, less what Deno added. */
function currentSignalState(): SignalState {
  const masks = signalMasks("self");
  return {
    ignored: signalsIn(masks?.ignored ?? 0n).filter((signal) =>
      !IGNORED_BY_DENO.includes(signal)
    ),
    blocked: signalsIn(masks?.blocked ?? 0n),
  };
}

/**
 * Keeps the signal state the caller gave mntns, for
 * {@linkcode callerSignalState}: main.ts calls it first thing, before it
 * loads the rest of mntns. Deno replaces an inherited SIG_IGN of SIGUSR1
 * with its own handler on a turn of its event loop from about half a second
 * after it starts, and loading modules turns the loop: on a busy machine,
 * mntns's modules took that long to load, and a state read after them had
 * lost the caller's ignored SIGUSR1.
 *
 * @example
 * ```ts
 * keepCallerSignalState();
 * ```
 */
export function keepCallerSignalState(): void {
  kept = currentSignalState();
}

/**
 * The signal state the caller gave mntns, less what Deno added: the
 * signals it ignores (SigIgn without {@linkcode IGNORED_BY_DENO}) and those
 * its main thread blocks; as {@linkcode keepCallerSignalState} kept it, or
 * read now. Without /proc: nothing ignored, nothing blocked.
 *
 * @example
 * ```ts
 * callerSignalState(); // { ignored: [1], blocked: [] } under nohup
 * ```
 */
export function callerSignalState(): SignalState {
  return kept ?? currentSignalState();
}

/**
 * The shell's exit status for a finished child: its code, or 128 + N when
 * signal N ended it.
 *
 * @example
 * ```ts
 * exitStatus({ pid: 7, code: 0, signal: 15 }); // 143
 * ```
 */
export function exitStatus(exit: ChildExit): number {
  return exit.signal === null ? exit.code : 128 + exit.signal;
}
