/**
 * `mntns run`'s privilege options: `--user`, `--cap-drop`, `--cap-add` (in
 * order), `--new-privs` and `--new-session`.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import {
  type CapabilityChange,
  parseCapabilityChange,
} from "../plan/capabilities.ts";
import type { PrivilegeRequest } from "../plan/privileges.ts";
import type { OptionToken } from "./args.ts";

/**
 * The privilege request of the options. No_new_privs is on whenever
 * privilege is dropped (`--user`, `--cap-drop` or `--cap-add`), unless
 * `--new-privs` allows gaining it again through setuid programs and file
 * capabilities.
 *
 * @example
 * ```ts
 * privilegeRequest({
 *   values: { user: "65534:65534" },
 *   tokens: [{ name: "cap-drop", value: "ALL" }],
 *   command: "mntns run",
 * });
 * // { user: "65534:65534", capabilities: [{ change: "drop", capabilities: "all" }], noNewPrivs: true, newSession: false }
 * ```
 */
export function privilegeRequest(
  options: {
    values: { user?: string; "new-privs"?: boolean; "new-session"?: boolean };
    tokens: readonly OptionToken[];
    command: string;
  },
): PrivilegeRequest {
  const { values, command } = options;
  const user = values.user ?? null;
  if (user !== null && !/^[^:]+(:[^:]+)?$/.test(user)) {
    throw new UsageError(
      `--user takes USER[:GROUP] (each a name or a number), not '${user}'`,
      command,
    );
  }
  const capabilities: CapabilityChange[] = [];
  for (const { name, value } of options.tokens) {
    if (value === undefined) continue;
    if (name === "cap-drop" || name === "cap-add") {
      capabilities.push(
        parseCapabilityChange(
          name === "cap-drop" ? "drop" : "add",
          value,
          command,
        ),
      );
    }
  }
  return {
    user,
    capabilities,
    noNewPrivs: values["new-privs"] !== true &&
      (user !== null || capabilities.length > 0),
    newSession: values["new-session"] === true,
  };
}
