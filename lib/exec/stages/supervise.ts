/**
 * Waiting for a child while passing signals on, in a process that has had
 * the signals it passes on, and SIGCHLD, blocked since its `execve`.
 *
 * Blocked in every thread from the start, those signals never reach a
 * handler: they wait in the pending set, and a `signalfd` read on the main
 * thread takes them. No event-loop turn is needed, so this process never
 * runs Deno's SIGUSR1 inspector task, and with SIGUSR1 blocked that task
 * could not see the signal anyway (see docs/security.md).
 *
 * @module
 */

import { POLL, pollFds } from "../../../ffi/poll.ts";
import { openSignalFd, readSignals } from "../../../ffi/signals.ts";
import { dropPages } from "../../../ffi/syscalls.ts";
import { type ChildExit, reapExited } from "../../../ffi/wait.ts";
import type { Signaller } from "../init_signals.ts";
import { readCleanFileMappings } from "../../system/clean_file_mappings.ts";
import { SIG } from "../../system/signals.ts";

/** What {@linkcode supervise} watches. */
export interface SuperviseOptions {
  /** The child whose end ends the wait. */
  child: number;
  /** The signals to pass on; they and SIGCHLD must be blocked already. */
  forwarded: readonly number[];
  /** How signals are passed on and the exit status is made. */
  signaller: Signaller;
  /** Whether to reap every other child too (a PID-namespace init). */
  reapOrphans: boolean;
}

/**
 * The blocked mask a supervising process needs from its `execve` on.
 *
 * @example
 * ```ts
 * supervisedSignals([1, 15]); // [1, 15, 17]
 * ```
 */
export function supervisedSignals(forwarded: readonly number[]): number[] {
  return [...forwarded, SIG.CHLD];
}

function reapChildren(child: number, orphans: boolean): ChildExit | null {
  if (!orphans) return reapExited(child);
  let found: ChildExit | null = null;
  for (let exit = reapExited(-1); exit; exit = reapExited(-1)) {
    if (exit.pid === child) found = exit;
  }
  return found;
}

/**
 * How long a wait lasts before the pages only starting needed are dropped:
 * a command that ends sooner never waits for the dropping.
 */
const DROP_PAGES_AFTER_MS = 250;

/**
 * Drops the resident pages of this process's clean file mappings: what
 * starting Deno and setting up touched of the deno binary and the
 * libraries, which a waiting process does not use again (what it does use
 * comes back from the page cache). What the kernel refuses stays resident.
 */
function dropStartupPages(): void {
  for (const range of readCleanFileMappings()) {
    dropPages(range.start, range.length);
  }
}

/**
 * Passes signals on until the child ends; returns its exit status. The
 * child is checked before the first wait, so an exit that came before the
 * signalfd existed is not missed. Once it has waited a while
 * ({@linkcode DROP_PAGES_AFTER_MS}) with nothing to do, it drops the pages
 * only starting needed.
 *
 * @example
 * ```ts
 * import { sendSignal } from "../../../ffi/signals.ts";
 * import { plainSignaller } from "../init_signals.ts";
 *
 * declare const child: number; // spawned, with 1, 15 and 17 blocked here since execve
 * Deno.exit(supervise({
 *   child,
 *   forwarded: [1, 15],
 *   signaller: plainSignaller({ pid: child, send: sendSignal }),
 *   reapOrphans: false,
 * }));
 * ```
 */
export function supervise(options: SuperviseOptions): number {
  const fd = openSignalFd(supervisedSignals(options.forwarded));
  let dropped = false;
  for (;;) {
    const exit = reapChildren(options.child, options.reapOrphans);
    if (exit !== null) return options.signaller.exitStatus(exit);
    if (
      !dropped &&
      pollFds([{ fd, events: POLL.IN }], DROP_PAGES_AFTER_MS)[0] === 0
    ) {
      dropStartupPages();
      dropped = true;
    }
    for (const signal of readSignals(fd)) {
      if (signal !== SIG.CHLD) options.signaller.deliver(signal);
    }
  }
}
