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

import { inMask, signalChild, signalMask, signalNumber } from "./signals.ts";

/** Signals whose default action is not to end the process. */
const HARMLESS_BY_DEFAULT: ReadonlySet<string> = new Set([
  "SIGCHLD",
  "SIGCONT",
  "SIGURG",
  "SIGWINCH",
]);

/** What a process does with a signal: its own handler, ignore it, or the default. */
export type Disposition = "caught" | "ignored" | "default";

/**
 * A process's disposition of a signal, from the SigCgt and SigIgn masks of
 * `/proc/PID/status`; `default` when the process is gone.
 *
 * @example
 * ```ts
 * signalDisposition(Deno.pid, "SIGINT"); // "default"
 * ```
 */
export function signalDisposition(
  pid: number,
  signal: Deno.Signal,
): Disposition {
  const number = signalNumber(signal);
  const caught = signalMask(pid, "SigCgt");
  if (caught !== null && inMask(caught, number)) return "caught";
  const ignored = signalMask(pid, "SigIgn");
  if (ignored !== null && inMask(ignored, number)) return "ignored";
  return "default";
}

/** Forwarding to a namespace init, and the exit status that follows. */
export interface InitSignaller {
  /** Passes a signal on, applying its default action where the kernel would not. */
  deliver(signal: Deno.Signal): void;
  /** The exit status for the child's final status. */
  exitStatus(status: { code: number; signal: Deno.Signal | null }): number;
}

/**
 * Signals for a child that is PID 1 of its namespace.
 *
 * @example
 * ```ts
 * const signaller = initSignaller(child);
 * forwardSignals(signaller.deliver);
 * return signaller.exitStatus(await child.status);
 * ```
 */
export function initSignaller(
  child: { pid: number; kill(signal: Deno.Signal): void },
): InitSignaller {
  let endedBy: Deno.Signal | null = null;
  return {
    deliver(signal: Deno.Signal): void {
      const disposition = signalDisposition(child.pid, signal);
      signalChild(child, signal);
      if (disposition === "default" && !HARMLESS_BY_DEFAULT.has(signal)) {
        endedBy ??= signal;
        signalChild(child, "SIGKILL");
      }
    },
    exitStatus(status): number {
      const signal = status.signal === "SIGKILL" && endedBy !== null
        ? endedBy
        : status.signal;
      return signal === null ? status.code : 128 + signalNumber(signal);
    },
  };
}
