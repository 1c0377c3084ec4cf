/**
 * `mntns run --init`: mntns stays as PID 1 of the new PID namespace. It
 * starts the command as PID 2, passes signals on to it, reaps every orphan
 * that is reparented to it, and exits with the command's status.
 *
 * The command is started through the exec stage (mntns again, which resets
 * every signal and execs it): children of `Deno.Command` get signals 32 and
 * 33 ignored by glibc's posix_spawn, and the exec stage undoes that, so the
 * command starts as clean as without `--init`.
 *
 * @module
 */

import { reapChild } from "../ffi/wait.ts";
import type { ExecTarget } from "./exec_command.ts";
import { spawnSelf } from "./self_command.ts";
import { EXEC_STAGE } from "./stage_names.ts";
import { exitStatus, forwardSignals, signalChild } from "./signals.ts";

/**
 * The pids of this process's children that have exited and wait to be
 * reaped, from /proc.
 *
 * @example
 * ```ts
 * zombieChildren(1); // [12, 15]
 * ```
 */
export function zombieChildren(parent: number): number[] {
  const zombies: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    let stat: string;
    try {
      stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" && Number(fields[1]) === parent) {
      zombies.push(Number(entry.name));
    }
  }
  return zombies;
}

/**
 * Starts the command as a child, forwards signals, reaps orphans, and
 * returns the command's exit status (128 + N for signal N).
 *
 * @example
 * ```ts
 * Deno.exit(await runInit({ file: "sleep", argv: ["sleep", "1"], env: [] }));
 * ```
 */
export async function runInit(target: ExecTarget): Promise<number> {
  const child = spawnSelf([EXEC_STAGE, JSON.stringify(target)]);
  const stopForwarding = forwardSignals((signal) => signalChild(child, signal));
  const reapOrphans = (): void => {
    for (const pid of zombieChildren(Deno.pid)) {
      if (pid !== child.pid) reapChild(pid);
    }
  };
  Deno.addSignalListener("SIGCHLD", reapOrphans);
  const status = await child.status;
  Deno.removeSignalListener("SIGCHLD", reapOrphans);
  stopForwarding();
  return exitStatus(status);
}
