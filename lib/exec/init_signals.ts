/**
 * Signals for a command that is PID 1 of its PID namespace.
 *
 * The kernel gives a namespace's init only the signals it has a handler for
 * — from inside its namespace and from outside alike — except SIGKILL and
 * SIGSTOP. So `sleep` as PID 1 would survive the SIGTERM mntns passes on.
 * mntns applies the default action itself instead: when the command neither
 * catches nor ignores a signal whose default action ends a process, mntns
 * kills it (and with it the namespace) and reports 128+N, as if the signal
 * had ended it.
 *
 * @module
 */

import type { ChildExit } from "../../ffi/wait.ts";
import { exitStatus, inMask, SIG, signalMasks } from "../system/signals.ts";

/** Signals whose default action is not to end the process. */
const HARMLESS_BY_DEFAULT: ReadonlySet<number> = new Set([
  SIG.CHLD,
  SIG.CONT,
  SIG.URG,
  SIG.WINCH,
]);

/** What a process does with a signal: its own handler, ignore it, or the default. */
export type Disposition = "caught" | "ignored" | "default";

/**
 * A process's disposition of a signal, from the SigCgt and SigIgn masks of
 * `/proc/PID/status`; `default` when the process is gone.
 *
 * @example
 * ```ts
 * signalDisposition(Deno.pid, 2); // "default"
 * ```
 */
export function signalDisposition(pid: number, signal: number): Disposition {
  const masks = signalMasks(pid);
  if (masks === null) return "default";
  if (inMask(masks.caught, signal)) return "caught";
  if (inMask(masks.ignored, signal)) return "ignored";
  return "default";
}

/** Passing signals on to a child, and the exit status that follows. */
export interface Signaller {
  /** Passes a signal on. */
  deliver(signal: number): void;
  /** The exit status for the child's end. */
  exitStatus(exit: ChildExit): number;
}

/**
 * Signals for a plain child: passed on as they come.
 *
 * @example
 * ```ts
 * import { sendSignal } from "../../ffi/signals.ts";
 *
 * declare const child: number; // the pid of a spawned child
 * plainSignaller({ pid: child, send: sendSignal }).deliver(15); // kill(child, 15)
 * ```
 */
export function plainSignaller(
  child: { pid: number; send(pid: number, signal: number): unknown },
): Signaller {
  return { deliver: (signal) => child.send(child.pid, signal), exitStatus };
}

/**
 * Signals for a child that is PID 1 of its namespace; `disposition` tells
 * what the child does with a signal ({@linkcode signalDisposition} reads
 * it from /proc).
 *
 * @example
 * ```ts
 * const sent: number[] = [];
 * const signaller = initSignaller({
 *   pid: 7,
 *   send: (_pid: number, signal: number) => sent.push(signal),
 *   disposition: () => "default",
 * });
 * signaller.deliver(15); // sent: [15, 9]
 * ```
 */
export function initSignaller(
  child: {
    pid: number;
    send(pid: number, signal: number): unknown;
    disposition(pid: number, signal: number): Disposition;
  },
): Signaller {
  let endedBy: number | null = null;
  return {
    deliver(signal: number): void {
      const disposition = child.disposition(child.pid, signal);
      child.send(child.pid, signal);
      if (disposition === "default" && !HARMLESS_BY_DEFAULT.has(signal)) {
        endedBy ??= signal;
        child.send(child.pid, SIG.KILL);
      }
    },
    exitStatus(exit): number {
      return exit.signal === SIG.KILL && endedBy !== null
        ? exitStatus({ ...exit, signal: endedBy })
        : exitStatus(exit);
    },
  };
}
