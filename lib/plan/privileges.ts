/**
 * What privilege a command keeps: who it runs as, which capabilities it
 * holds, and whether it may gain more — requested on the command line,
 * decided (pure) once the user is looked up in the new root, and carried
 * out just before the exec (lib/exec/privileges.ts).
 *
 * @module
 */

import {
  type CapabilityChange,
  capabilityName,
  keptCapabilities,
} from "./capabilities.ts";
import { operationLine } from "./setup_ops.ts";
import type { Credentials } from "./user_database.ts";

/** What `--user`, `--cap-drop`/`--cap-add`, `--new-privs`, `--new-session` ask. */
export interface PrivilegeRequest {
  /** `USER[:GROUP]`, looked up in the new root; null: stay root. */
  user: string | null;
  /** `--cap-drop` and `--cap-add`, in order. */
  capabilities: readonly CapabilityChange[];
  /** PR_SET_NO_NEW_PRIVS: no setuid or file capability can raise privilege. */
  noNewPrivs: boolean;
  /** setsid(2): a new session, without the caller's terminal (TIOCSTI). */
  newSession: boolean;
}

/** A request that changes nothing. */
export const NO_PRIVILEGE_CHANGE: PrivilegeRequest = {
  user: null,
  capabilities: [],
  noNewPrivs: false,
  newSession: false,
};

/** What to set, decided. */
export interface PrivilegeDrop {
  /** The user to become, or null to stay as is. */
  credentials: Credentials | null;
  /**
   * The capabilities left in the effective, permitted, inheritable and
   * ambient sets, or null to leave them as they are.
   */
  kept: number[] | null;
  /** Whether the bounding set is cut down to `kept` too. */
  bounding: boolean;
}

/**
 * Decides the privileges, as bubblewrap does: a command that runs as root
 * (uid 0) starts from every capability this process holds, any other user
 * from none; `--cap-drop`/`--cap-add` then apply in order, and when they are
 * given, the bounding set is cut to what is kept as well. The kept
 * capabilities go in every set, ambient included, so that a user other than
 * root keeps them across the exec.
 *
 * @example
 * ```ts
 * decidePrivileges({
 *   request: { user: "65534", capabilities: [], noNewPrivs: true, newSession: false },
 *   credentials: { uid: 65534, gid: 65534, groups: [65534] },
 *   held: [0, 21],
 * }); // { credentials: { uid: 65534, ... }, kept: [], bounding: false }
 * ```
 */
export function decidePrivileges(
  options: {
    request: PrivilegeRequest;
    credentials: Credentials | null;
    held: readonly number[];
  },
): PrivilegeDrop {
  const { request, credentials, held } = options;
  const changes = request.capabilities;
  if (credentials === null && changes.length === 0) {
    return { credentials, kept: null, bounding: false };
  }
  const root = (credentials?.uid ?? 0) === 0;
  return {
    credentials,
    kept: keptCapabilities({
      start: root ? held : [],
      available: held,
      changes,
    }),
    bounding: changes.length > 0,
  };
}

/**
 * The `--dry-run` lines of a request, in the order they are carried out,
 * just before the exec.
 *
 * @example
 * ```ts
 * describePrivileges({ user: "nobody", capabilities: [], noNewPrivs: true, newSession: false });
 * // ["no_new_privs on", "user         nobody (looked up in /etc/passwd and /etc/group of the new root); ..."]
 * ```
 */
export function describePrivileges(request: PrivilegeRequest): string[] {
  const lines: string[] = [];
  if (request.newSession) {
    lines.push(
      operationLine("setsid", "a new session, no controlling terminal"),
    );
  }
  if (request.noNewPrivs) {
    lines.push(
      operationLine(
        "no_new_privs",
        "on (setuid and file capabilities grant nothing)",
      ),
    );
  }
  const changes = request.capabilities.map(({ change, capabilities }) =>
    `${change} ${
      capabilities === "all"
        ? "ALL"
        : capabilities.map(capabilityName).join(",")
    }`
  );
  if (request.user !== null) {
    lines.push(
      operationLine(
        "user",
        `${request.user} (looked up in /etc/passwd and /etc/group of the new root): setgroups, setresgid, setresuid`,
      ),
    );
  }
  if (changes.length > 0) {
    lines.push(
      operationLine(
        "capabilities",
        `${
          changes.join(", ")
        } (from every capability for root, none for another user; bounding, effective, permitted, inheritable and ambient sets)`,
      ),
    );
  } else if (request.user !== null) {
    lines.push(operationLine("capabilities", "none unless the user is root"));
  }
  return lines;
}
