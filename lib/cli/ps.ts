/**
 * `mntns ps`: every running `mntns run` on the machine, found from /proc.
 *
 * @module
 */

import { parseCommandLine } from "./options.ts";
import type { CommandSpec } from "./command_spec.ts";
import { renderTable } from "./table.ts";
import { writeOut } from "./output.ts";
import { requireProc } from "../system/proc.ts";
import { CommandError } from "../errors.ts";
import { findRuns, type RunningRun, type StageWords } from "../system/runs.ts";

const COMMAND = "mntns ps";

/** `mntns ps`: its options and help. */
export const PS_SPEC = {
  usage: "mntns ps [--json]",
  about: [[{
    paragraph:
      "List every running 'mntns run' on the machine, found from /proc (needs root):",
  }, {
    literal:
      `  PID        the host PID of the run's first process, PID 1 of its PID
             namespace: give it to 'mntns enter' or 'nsenter -t'
  MNTNS-PID  mntns's own PID (signals sent to it reach the command)
  HOSTNAME   the run's hostname ('-' without a UTS namespace of its own)
  STARTED    when mntns started, local time
  MNT-NS     the inode of its mount namespace
  COMMAND    what it runs`,
  }]],
  optionWidth: 12,
  options: {
    json: {
      type: "boolean",
      short: "J",
      help: `JSON: {"runs":[{pid,mntns,hostname,command:[ARG],started,
namespaces:{mnt,uts,ipc,net,pid,cgroup}}]}, started in ISO 8601
(UTC)`,
    },
  },
  after: [],
  operands: [],
} as const satisfies CommandSpec;

/** One run as `ps --json` prints it. */
export interface RunJson {
  pid: number;
  mntns: number;
  hostname: string | null;
  command: string[];
  started: string;
  namespaces: RunningRun["namespaces"];
}

/**
 * The JSON form of a run.
 *
 * @example
 * ```ts
 * import type { RunningRun } from "../system/runs.ts";
 * declare const run: RunningRun;
 * runJson(run).started; // "2026-11-27T10:01:02.340Z"
 * ```
 */
export function runJson(run: RunningRun): RunJson {
  return {
    pid: run.pid,
    mntns: run.mntns,
    hostname: run.hostname,
    command: run.command,
    started: new Date(run.started).toISOString(),
    namespaces: run.namespaces,
  };
}

const two = (value: number): string => String(value).padStart(2, "0");

/**
 * A time as ps prints it: local, to the second.
 *
 * @example
 * ```ts
 * localTime(Date.UTC(2026, 10, 27, 10, 1, 2)); // "2026-11-27 10:01:02" under TZ=UTC
 * ```
 */
export function localTime(milliseconds: number): string {
  const date = new Date(milliseconds);
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${
    two(date.getDate())
  } ${two(date.getHours())}:${two(date.getMinutes())}:${
    two(date.getSeconds())
  }`;
}

/**
 * The table `mntns ps` prints.
 *
 * @example
 * ```ts
 * psTable([]); // "PID MNTNS-PID HOSTNAME STARTED MNT-NS COMMAND\n"
 * ```
 */
export function psTable(runs: readonly RunningRun[]): string {
  return renderTable({
    headers: ["PID", "MNTNS-PID", "HOSTNAME", "STARTED", "MNT-NS", "COMMAND"],
    rows: runs.map((run) => [
      String(run.pid),
      String(run.mntns),
      run.hostname ?? "-",
      localTime(run.started),
      String(run.namespaces.mnt),
      run.command.join(" "),
    ]),
  });
}

/**
 * Runs `mntns ps`; returns the exit status. `stages` are the words that
 * name a run's stages in their argv.
 *
 * @example
 * ```ts
 * psCommand(["--json"], { wait: "__mntns-run-wait", run: "__mntns-run-stage" });
 * ```
 */
export function psCommand(
  args: readonly string[],
  stages: StageWords,
): number {
  const parsed = parseCommandLine({
    args,
    spec: PS_SPEC,
    command: COMMAND,
    positionals: false,
  });
  if (parsed === null) return 0;
  if (Deno.uid() !== 0) {
    throw new CommandError(
      "ps: needs root — a run's processes are root's and its hostname is read inside its namespace: run it as root",
    );
  }
  requireProc();
  const runs = findRuns(stages);
  if (parsed.values.json) {
    writeOut(JSON.stringify({ runs: runs.map(runJson) }) + "\n");
  } else {
    writeOut(psTable(runs));
  }
  return 0;
}
