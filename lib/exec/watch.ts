/**
 * `mntns propagation watch`'s runner: a process that lives long, so it
 * waits the safe way (docs/security.md). It starts itself again once with
 * the signals that end it blocked, so they are blocked in every thread from
 * its `execve` on; then it waits in one synchronous `poll` on the watched
 * mount tables, the processes that hold them, and a signalfd for those
 * signals. Deno's event loop never turns while it waits, so Deno's SIGUSR1
 * inspector task never runs, and SIGUSR1, blocked, is only read. As root
 * it reads at the most favoured nice value, unless started with one.
 *
 * @module
 */

import { closeFd } from "../../ffi/fds.ts";
import { POLL, pollFds } from "../../ffi/poll.ts";
import { setThreadNice, threadNice } from "../../ffi/priority.ts";
import { openSignalFd, readSignals } from "../../ffi/signals.ts";
import { writeOut } from "../system/stdio.ts";
import {
  eventAtPaths,
  type NamespaceNotice,
  noticeAtPaths,
  watchEvents,
  type WatchReport,
  type WatchStart,
} from "../mount/watch_events.ts";
import type { WatchPlan } from "../plan/watch_plan.ts";
import { NamespaceWatch } from "../system/namespace_watch.ts";
import { requireProc } from "../system/proc.ts";
import {
  FORWARDED_SIGNALS,
  inMask,
  SIG,
  signalMasks,
} from "../system/signals.ts";
import { execSelf } from "./stages/self_command.ts";

/**
 * The signals that end a watch (each would end it by default): blocked
 * from its `execve` on and read from a signalfd. SIGUSR1 among them keeps
 * Deno's inspector shut.
 */
const WATCH_SIGNALS: readonly number[] = FORWARDED_SIGNALS.filter((signal) =>
  signal !== SIG.WINCH
);

/**
 * How often `--all-namespaces` looks in /proc for new namespaces when
 * nothing happens, where the process events connector cannot be heard; a
 * scan costs little CPU time (scripts/bench_watch.ts measures it).
 */
const SCAN_INTERVAL_MS = 1000;

/**
 * The nice value a watch reads at when it may (root, or CAP_SYS_NICE):
 * the most favoured, as auditd's `priority_boost` raises auditd's, so that
 * the kernel runs the watcher soon after an exec or a mount woke it, on a
 * busy machine too (docs/propagation.md measures what that catches).
 */
const WATCH_NICE = -20;

/** The longest wait `poll` takes, in milliseconds (a C int). */
const LONGEST_WAIT_MS = 2 ** 31 - 1;

/** What {@linkcode executeWatch} needs. */
export interface WatchRun {
  /** What to watch, and when to end. */
  plan: WatchPlan;
  /** The words that start this watch again (the words after `mntns`). */
  words: readonly string[];
  /** The text to print for one read ("" for nothing). */
  render: (report: WatchReport) => string;
}

function signalsBlocked(): boolean {
  const blocked = signalMasks("self")?.blocked;
  return blocked !== undefined &&
    WATCH_SIGNALS.every((signal) => inMask(blocked, signal));
}

/**
 * Moves the thread that reads and waits (this one) to
 * {@linkcode WATCH_NICE}, unless the caller chose a nice value for it
 * (`nice -n N mntns propagation watch` keeps N). Without the privilege it
 * stays as it is.
 */
function favourWatcher(): void {
  if (threadNice() === 0) setThreadNice(WATCH_NICE);
}

/** How long to wait, in milliseconds, until the nearest deadline; -1: none. */
function waitUntil(deadlines: readonly number[], now: number): number {
  if (deadlines.length === 0) return -1;
  const wait = Math.ceil(Math.min(...deadlines) - now);
  return Math.min(LONGEST_WAIT_MS, Math.max(0, wait));
}

/**
 * Runs a watch: says how it sees (with `json` or `verbose`), then prints
 * every read that has something to say, until the first mount event
 * (`firstOnly`: namespaces found or gone and warnings do not count),
 * `timeoutMs` without an event, no namespace left to watch, or a signal. Returns the exit status: 0 after an event,
 * 1 when it ended with none printed; on a signal, 0 (or 128 + N with
 * `signalStatus`). Started without those signals blocked, it starts itself
 * again with them blocked (same pid) and does not return.
 *
 * @example
 * ```ts
 * import { parseWatchArgs, watchText } from "../cli/propagation_watch.ts";
 * const plan = parseWatchArgs(["/mnt"])!;
 * executeWatch({ plan, words: ["propagation", "watch", "/mnt"], render: watchText });
 * ```
 */
export function executeWatch(run: WatchRun): number {
  const { plan } = run;
  // Without /proc there is no mountinfo to watch, and no signal mask to
  // see: the check below would start mntns again and again.
  requireProc();
  if (!signalsBlocked()) {
    execSelf({ words: run.words, blocked: WATCH_SIGNALS });
  }
  favourWatcher();
  const signals = openSignalFd(WATCH_SIGNALS);
  const watch = new NamespaceWatch({ pid: plan.pid, all: plan.all });
  let printed = false;
  let quietSince = performance.now();
  let lastScan = quietSince;
  let start: WatchStart | null = plan.json || plan.verbose
    ? { namespaces: watch.size, discovery: watch.discovery }
    : null;
  // The first read waits for nothing: it says the start and what the
  // first look could not read.
  let revents: number[] = [];
  try {
    for (;;) {
      const now = performance.now();
      const scan = watch.scansOnTimer && now >= lastScan + SCAN_INTERVAL_MS;
      if (scan) lastScan = now;
      const read = watch.read(revents, { scan });
      const events = watchEvents(read.reads).filter((event) =>
        eventAtPaths(event, plan.paths)
      );
      const atPaths = (notice: NamespaceNotice): boolean =>
        noticeAtPaths(notice, plan.paths);
      const text = run.render({
        time: new Date(),
        start,
        appeared: read.appeared.filter(atPaths),
        events,
        gone: read.gone.filter(atPaths),
        warnings: read.warnings,
      });
      start = null;
      if (text !== "") writeOut(text);
      if (events.length > 0) {
        printed = true;
        quietSince = performance.now();
        if (plan.firstOnly) return 0;
      }
      if (watch.empty) return printed ? 0 : 1;
      if (
        plan.timeoutMs !== null &&
        performance.now() >= quietSince + plan.timeoutMs
      ) return printed ? 0 : 1;
      const deadlines: number[] = [];
      if (plan.timeoutMs !== null) deadlines.push(quietSince + plan.timeoutMs);
      if (watch.scansOnTimer) deadlines.push(lastScan + SCAN_INTERVAL_MS);
      const requests = [
        ...watch.requests(),
        { fd: signals, events: POLL.IN },
      ];
      const woken = pollFds(
        requests,
        waitUntil(deadlines, performance.now()),
      );
      if (woken.at(-1) !== 0) {
        const [signal] = readSignals(signals);
        return plan.signalStatus ? 128 + signal : 0;
      }
      revents = woken.slice(0, -1);
    }
  } finally {
    watch.close();
    closeFd(signals);
  }
}
