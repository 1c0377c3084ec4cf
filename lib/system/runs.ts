/**
 * Every running `mntns run` on the machine, found from /proc alone (no
 * state files): a run's wait stage — what `mntns run` becomes, same PID —
 * has the words `WAIT-STAGE STAGE-PID MODE SIGNALS` in its argv, and STAGE-PID
 * is its child, the first process of the run's namespaces (PID 1 of its PID
 * namespace). Only processes whose real, effective, saved and filesystem
 * user IDs are all 0 count, the stage and the wait stage alike: another
 * user can start a process with any argv, but not one owned by root, so no
 * user can make `enter NAME` join namespaces of their choosing.
 *
 * The hostname is read inside the run's UTS namespace (joined for the
 * read, on the main thread, and left again), so reading it needs root.
 *
 * @module
 */

import { CLONE } from "../../ffi/constants.ts";
import { closeFd, openReadOnly } from "../../ffi/fds.ts";
import { joinNamespace } from "../../ffi/namespaces.ts";
import { decodeBytes, splitNulList } from "../bytes.ts";
import { type NamespaceInodes, namespaceInodes } from "./process_namespaces.ts";
import { processStat } from "./process_stat.ts";

/** The hidden words that name a run's stages in their argv. */
export interface StageWords {
  /** The word of the wait stage (`mntns run`, once it has started its stage). */
  wait: string;
  /** The word of the run stage, while it is still mntns (with `--init`, for good). */
  run: string;
}

/** One running `mntns run`. */
export interface RunningRun {
  /** mntns's PID (its wait stage). */
  mntns: number;
  /** The host PID of the first process of its namespaces (PID 1 of its PID namespace). */
  pid: number;
  /** Its hostname; null when it has no UTS namespace of its own. */
  hostname: string | null;
  /** The command it runs, argv as the kernel has it; empty once it has ended. */
  command: string[];
  /** When mntns started, in milliseconds since the epoch. */
  started: number;
  /** The namespaces of its first process. */
  namespaces: NamespaceInodes;
}

/** `USER_HZ`: /proc counts process start times in these ticks a second. */
const USER_HZ = 100;

function readWords(pid: number): string[] | null {
  try {
    return splitNulList(Deno.readFileSync(`/proc/${pid}/cmdline`));
  } catch {
    return null;
  }
}

function ownedByRoot(pid: number): boolean {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const uids = /^Uid:\s+(.*)$/m.exec(status)?.[1].trim().split(/\s+/);
    return uids !== undefined && uids.length === 4 &&
      uids.every((uid) => uid === "0");
  } catch {
    return false;
  }
}

function bootTime(): number {
  const line = /^btime (\d+)$/m.exec(Deno.readTextFileSync("/proc/stat"));
  return Number(line?.[1] ?? 0);
}

function numericEntries(dir: string): number[] {
  const found: number[] = [];
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (/^\d+$/.test(entry.name)) found.push(Number(entry.name));
    }
  } catch {
    // The process is gone.
  }
  return found.sort((a, b) => a - b);
}

/** The child of `pid` that started first: with `--init`, the command. */
function firstChild(pid: number): number | null {
  const children: number[] = [];
  for (const task of numericEntries(`/proc/${pid}/task`)) {
    try {
      const text = Deno.readTextFileSync(`/proc/${pid}/task/${task}/children`);
      children.push(...text.trim().split(" ").filter(Boolean).map(Number));
    } catch {
      // The task is gone.
    }
  }
  let first: { pid: number; start: number } | null = null;
  for (const child of children) {
    const stat = processStat(child);
    if (stat !== null && (first === null || stat.start < first.start)) {
      first = { pid: child, start: stat.start };
    }
  }
  return first?.pid ?? null;
}

/** The wait stage's child when `words` are a wait stage's argv. */
function stageOf(words: readonly string[], stages: StageWords): number | null {
  const at = words.indexOf(stages.wait);
  if (at < 0) return null;
  const [pid, mode] = words.slice(at + 1);
  if (!/^[0-9]+$/.test(pid ?? "") || (mode !== "init" && mode !== "plain")) {
    return null;
  }
  return Number(pid);
}

/** The hostname of the UTS namespace of `pid`, joined for the read. */
function hostnameIn(pid: number, own: number): string | null {
  let fd: number;
  try {
    fd = openReadOnly(`/proc/${pid}/ns/uts`, { directory: false });
  } catch {
    return null;
  }
  try {
    joinNamespace(fd, CLONE.NEWUTS);
  } catch {
    closeFd(fd);
    return null;
  }
  try {
    const bytes = Deno.readFileSync("/proc/sys/kernel/hostname");
    return decodeBytes(bytes).replace(/\n$/, "");
  } finally {
    closeFd(fd);
    joinNamespace(own, CLONE.NEWUTS);
  }
}

function describeRun(
  mntns: number,
  stage: number,
  stages: StageWords,
  boot: number,
): RunningRun | null {
  const stat = processStat(stage);
  const waitStat = processStat(mntns);
  if (stat === null || waitStat === null || stat.ppid !== mntns) return null;
  if (!ownedByRoot(mntns) || !ownedByRoot(stage)) return null;
  const namespaces = namespaceInodes(stage);
  const waitNamespaces = namespaceInodes(mntns);
  const stageWords = readWords(stage);
  if (namespaces === null || waitNamespaces === null || stageWords === null) {
    return null;
  }
  const commandPid = stageWords.includes(stages.run)
    ? firstChild(stage)
    : stage;
  const own = openReadOnly("/proc/self/ns/uts", { directory: false });
  try {
    return {
      mntns,
      pid: stage,
      hostname: namespaces.uts === waitNamespaces.uts
        ? null
        : hostnameIn(stage, own),
      command: commandPid === null ? [] : readWords(commandPid) ?? [],
      started: (boot + waitStat.start / USER_HZ) * 1000,
      namespaces,
    };
  } finally {
    closeFd(own);
  }
}

/**
 * Every running `mntns run` this process can see, by mntns's PID. A
 * process that ends while /proc is read is left out.
 *
 * @example
 * ```ts
 * findRuns({ wait: "__mntns-run-wait", run: "__mntns-run-stage" }).map((run) => run.hostname);
 * ```
 */
export function findRuns(stages: StageWords): RunningRun[] {
  const boot = bootTime();
  const runs: RunningRun[] = [];
  for (const pid of numericEntries("/proc")) {
    const words = readWords(pid);
    const stage = words === null ? null : stageOf(words, stages);
    if (stage === null) continue;
    const run = describeRun(pid, stage, stages, boot);
    if (run !== null) runs.push(run);
  }
  return runs;
}
