/**
 * `mntns isolate`: a new mount namespace with a chosen propagation, then the
 * command in place of mntns — exactly like `unshare -m --propagation MODE`.
 *
 * Everything after `unshare` is synchronous: only the calling (main) thread
 * moves into the new mount namespace; Deno's async file operations run on
 * worker threads that stay in the old one. So the plan is complete and every
 * module loaded before `unshare` is called.
 *
 * @module
 */

import { CLONE } from "../../ffi/constants.ts";
import {
  chdir,
  chroot,
  mount,
  sethostname,
  unshare,
} from "../../ffi/syscalls.ts";
import { environmentValue } from "../plan/default_shell.ts";
import { execCommand, type ExecTarget } from "./exec_command.ts";
import {
  ISOLATE_HELP,
  type IsolatePlan,
  parseIsolateArgs,
} from "../plan/isolate_plan.ts";
import { writeOut } from "../cli/output.ts";
import { callerEnvironment } from "../system/proc.ts";
import { callerSignalState } from "../system/signals.ts";
import { rootPropagationFlags } from "./propagation_flags.ts";

/**
 * Carries out an isolate plan: unshare, propagation of `/`, hostname,
 * chroot, working directory, exec with the caller's environment and signal
 * state. Returns only by throwing.
 *
 * @example
 * ```ts
 * executeIsolate(
 *   { propagation: "private", uts: false, file: "ls", argv: ["ls"] },
 *   { env: callerEnvironment(), signals: callerSignalState() },
 * );
 * ```
 */
export function executeIsolate(
  plan: IsolatePlan,
  caller: Pick<ExecTarget, "env" | "signals">,
): never {
  unshare(CLONE.NEWNS | (plan.uts ? CLONE.NEWUTS : 0));
  const flags = rootPropagationFlags(plan.propagation);
  if (flags !== undefined) {
    mount({ source: "none", target: "/", flags });
  }
  if (plan.hostname !== undefined) sethostname(plan.hostname);
  if (plan.root !== undefined) {
    chroot(plan.root);
    chdir(plan.wd ?? "/");
  } else if (plan.wd !== undefined) {
    chdir(plan.wd);
  }
  return execCommand({ file: plan.file, argv: plan.argv, ...caller });
}

/**
 * Runs `mntns isolate`; returns the exit status (help), or never returns.
 *
 * @example
 * ```ts
 * main(["--propagation", "slave", "--", "findmnt"]);
 * ```
 */
export function main(args: readonly string[]): number {
  const signals = callerSignalState();
  const env = callerEnvironment();
  const plan = parseIsolateArgs(args, {
    SHELL: environmentValue(env, "SHELL"),
  });
  if (plan === "help") {
    writeOut(ISOLATE_HELP);
    return 0;
  }
  return executeIsolate(plan, { env, signals });
}
