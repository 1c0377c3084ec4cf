/**
 * The hidden stages mntns runs as when it starts itself again; not for
 * people. Each takes one JSON argument.
 *
 * @module
 */

import { execCommand, type ExecTarget } from "../exec_command.ts";
import { runStage, type StagePlan } from "../run_stage.ts";

/**
 * The run stage: PID 1 of `mntns run`'s new PID namespace.
 *
 * @example
 * ```ts
 * await runStageMain([JSON.stringify(plan)]);
 * ```
 */
export function runStageMain(args: readonly string[]): Promise<number> {
  return runStage(JSON.parse(args[0]) as StagePlan);
}

/**
 * The exec stage: clean signals, then exec (the command of `run --init`).
 *
 * @example
 * ```ts
 * execStageMain([JSON.stringify({ file: "ls", argv: ["ls"], env: [] })]);
 * ```
 */
export function execStageMain(args: readonly string[]): never {
  return execCommand(JSON.parse(args[0]) as ExecTarget);
}
