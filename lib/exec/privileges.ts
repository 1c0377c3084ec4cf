/**
 * Dropping privilege just before the command is executed, after every
 * mount, in the process that execs, and in the order runc uses:
 * no_new_privs, the bounding set, keep-caps on, the groups and ids, keep-caps
 * off, then the effective, permitted, inheritable and ambient sets.
 *
 * Everything is synchronous and on the main thread, the one that calls
 * `execve`: capabilities and no_new_privs belong to a thread.
 *
 * @module
 */

import {
  limitBoundingSet,
  newSession,
  permittedCapabilities,
  setCapabilities,
  setCredentials,
  setNoNewPrivileges,
} from "../../ffi/privileges.ts";
import { decidePrivileges, type PrivilegeRequest } from "../plan/privileges.ts";
import { type Credentials, resolveUser } from "../plan/user_database.ts";

/** A file of this root's user database, or null when it is missing. */
function userDatabase(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

function lookUp(spec: string | null): Credentials | null {
  if (spec === null) return null;
  return resolveUser(spec, {
    passwd: userDatabase("/etc/passwd"),
    group: userDatabase("/etc/group"),
  });
}

/**
 * Drops what the request asks: a new session, the user looked up in this
 * root's `/etc/passwd` and `/etc/group`, the capabilities, no_new_privs.
 * Changing the ids clears the parent-death signal: the caller sets it again.
 *
 * @example
 * ```ts
 * dropPrivileges({ user: "65534:65534", capabilities: [], noNewPrivs: true, newSession: false });
 * ```
 */
export function dropPrivileges(request: PrivilegeRequest): void {
  if (request.newSession) newSession();
  const credentials = lookUp(request.user);
  const drop = decidePrivileges({
    request,
    credentials,
    held: request.capabilities.length > 0 || credentials !== null
      ? permittedCapabilities()
      : [],
  });
  if (request.noNewPrivs) setNoNewPrivileges();
  if (drop.kept !== null && drop.bounding) limitBoundingSet(drop.kept);
  if (drop.credentials !== null) setCredentials(drop.credentials);
  if (drop.kept !== null) setCapabilities(drop.kept);
}
