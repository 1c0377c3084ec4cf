/**
 * Joining a target's namespaces on the main thread, then taking its root
 * and working directory, as `nsenter -r -w` does: every descriptor is
 * opened before the first `setns` (afterwards this process's /proc and
 * paths are the target's), the mount namespace is joined last, and the
 * root and directory are the target's own (`/proc/PID/root`, `/proc/PID/cwd`),
 * not paths looked up again.
 *
 * Everything is synchronous: only the main thread is in the namespaces it
 * joined.
 *
 * @module
 */

import { NAMESPACE_FLAGS } from "../../ffi/constants.ts";
import { SyscallError } from "../../ffi/errno.ts";
import { closeFd, fchdir } from "../../ffi/fds.ts";
import { joinNamespace } from "../../ffi/namespaces.ts";
import { chdir, chroot } from "../../ffi/syscalls.ts";
import { CommandError } from "../errors.ts";
import type { UnshareName } from "../system/process_namespaces.ts";

/** One namespace to join: its kind and an open namespace file. */
export interface NamespaceToJoin {
  /** Its kind. */
  name: UnshareName;
  /** A descriptor of its namespace file. */
  fd: number;
}

/** What to join and where to start: descriptors, plain enough to pass in JSON. */
export interface JoinPlan {
  /** The target, for messages (`pid 1234`, `/run/ns/box`). */
  label: string;
  /** The namespaces, in the order to join them. */
  namespaces: NamespaceToJoin[];
  /** The target's root directory (`/proc/PID/root`), or null to keep the namespace's. */
  root: number | null;
  /** The target's working directory (`/proc/PID/cwd`), or null. */
  cwd: number | null;
  /** A directory to change to at the end (inside), or null. */
  wd: string | null;
}

/**
 * Every descriptor a join plan holds.
 *
 * @example
 * ```ts
 * declare const plan: JoinPlan;
 * joinDescriptors(plan); // [5, 6, 7]
 * ```
 */
export function joinDescriptors(plan: JoinPlan): number[] {
  return [
    ...plan.namespaces.map((namespace) => namespace.fd),
    ...(plan.root === null ? [] : [plan.root]),
    ...(plan.cwd === null ? [] : [plan.cwd]),
  ];
}

/**
 * Joins the namespaces in order, takes the root and working directory,
 * changes to `wd`, and closes every descriptor of the plan.
 *
 * @example
 * ```ts
 * joinTarget({ label: "pid 42", namespaces: [{ name: "mnt", fd: 5 }], root: 6, cwd: 7, wd: null });
 * ```
 */
export function joinTarget(plan: JoinPlan): void {
  for (const { name, fd } of plan.namespaces) {
    try {
      joinNamespace(fd, NAMESPACE_FLAGS[name]);
    } catch (error) {
      if (!(error instanceof SyscallError)) throw error;
      throw new CommandError(
        `cannot enter the ${name} namespace of ${plan.label}: ${error.message}`,
      );
    }
  }
  if (plan.root !== null) {
    fchdir(plan.root);
    chroot(".");
    if (plan.cwd === null) chdir("/");
  }
  if (plan.cwd !== null) fchdir(plan.cwd);
  if (plan.wd !== null) chdir(plan.wd);
  for (const fd of joinDescriptors(plan)) closeFd(fd);
}
