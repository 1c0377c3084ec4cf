/**
 * The plan of `mntns isolate`, plain enough to test without root, and the
 * setup operations it makes.
 *
 * @module
 */

import type { ExecTarget } from "./exec_target.ts";
import type { RootPropagation } from "./root_propagation.ts";
import type { SetupOp } from "./setup_ops.ts";

/** What `mntns isolate` will do. */
export interface IsolatePlan {
  /** Propagation for `/` (recursively) in the new namespace; `unchanged` makes no call. */
  propagation: RootPropagation;
  /** A file to keep the new mount namespace at (`--mount=FILE`). */
  keep?: string;
  /** Whether to unshare the UTS namespace too. */
  uts: boolean;
  /** Hostname to set in the new UTS namespace. */
  hostname?: string;
  /** Directory to chroot into. */
  root?: string;
  /** Working directory to change to (after the chroot). */
  wd?: string;
  /** The command, with the caller's environment and signal state. */
  command: ExecTarget;
}

/**
 * The setup operations of `isolate`, in order, as `unshare -m` makes them:
 * unshare, keeping the namespace at a file, the root's propagation,
 * hostname, chroot, working directory.
 *
 * @example
 * ```ts
 * const command = { argv: ["ls"], env: [], signals: { ignored: [], blocked: [] } };
 * isolateSetupOps({ propagation: "private", uts: false, command })
 *   .map((op) => op.op); // ["unshare", "root-propagation"]
 * ```
 */
export function isolateSetupOps(plan: IsolatePlan): SetupOp[] {
  const ops: SetupOp[] = [
    { op: "unshare", namespaces: plan.uts ? ["mnt", "uts"] : ["mnt"] },
  ];
  if (plan.keep !== undefined) {
    ops.push({ op: "keep-namespace", file: plan.keep });
  }
  if (plan.propagation !== "unchanged") {
    ops.push({ op: "root-propagation", mode: plan.propagation });
  }
  if (plan.hostname !== undefined) {
    ops.push({ op: "hostname", name: plan.hostname });
  }
  if (plan.root !== undefined) {
    ops.push({ op: "chroot", dir: plan.root });
    ops.push({ op: "chdir", dir: plan.wd ?? "/" });
  } else if (plan.wd !== undefined) {
    ops.push({ op: "chdir", dir: plan.wd });
  }
  return ops;
}
