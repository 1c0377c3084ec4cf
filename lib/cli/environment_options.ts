/**
 * `mntns run`'s environment options, in the order given: `--clearenv`,
 * `--unsetenv K` and `--env K=V`.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { EnvironmentChange } from "../plan/run_plan.ts";
import type { OptionToken } from "./args.ts";

/**
 * The environment changes of the options, in order (so `--clearenv --env
 * K=V` keeps K, and `--env K=V --clearenv` does not).
 *
 * @example
 * ```ts
 * environmentChanges([{ name: "clearenv" }, { name: "env", value: "A=1" }], "mntns run");
 * // [{ clear: true }, { set: "A=1" }]
 * ```
 */
export function environmentChanges(
  tokens: readonly OptionToken[],
  command: string,
): EnvironmentChange[] {
  const changes: EnvironmentChange[] = [];
  for (const { name, value } of tokens) {
    if (name === "clearenv") changes.push({ clear: true });
    if (value === undefined) continue;
    if (name === "env") {
      if (value.indexOf("=") <= 0) {
        throw new UsageError(`--env takes K=V, not '${value}'`, command);
      }
      changes.push({ set: value });
    } else if (name === "unsetenv") {
      if (value === "" || value.includes("=")) {
        throw new UsageError(
          `--unsetenv takes a variable's name, not '${value}'`,
          command,
        );
      }
      changes.push({ unset: value });
    }
  }
  return changes;
}
