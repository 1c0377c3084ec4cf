/**
 * The plan of `mntns run`: plain enough to serialize (the PID-1 stage
 * receives it as JSON through a pipe) and to test without root, and the
 * setup operations it makes.
 *
 * @module
 */

import type { ExecTarget } from "./exec_target.ts";
import type { RootPropagation } from "./root_propagation.ts";
import type { NamespaceName, SetupOp } from "./setup_ops.ts";

/** A mount to prepare before the command starts. */
export interface MountRequest {
  /** `bind`, `ro-bind` (bind, then read-only) or `tmpfs`. */
  kind: "bind" | "ro-bind" | "tmpfs";
  /** The source path (binds only). */
  source?: string;
  /** The mount point; inside the new root when there is one. */
  target: string;
}

/** Which namespaces `run` makes. */
export interface RunNamespaces {
  uts: boolean;
  pid: boolean;
  ipc: boolean;
  net: boolean;
  cgroup: boolean;
}

/** What `mntns run` will do. */
export interface RunPlan {
  /** New namespaces besides the mount namespace, which is always new. */
  namespaces: RunNamespaces;
  /** Hostname in the new UTS namespace; null without one. */
  hostname: string | null;
  /** Propagation of `/` inside, recursively. */
  propagation: RootPropagation;
  /** Whether mntns stays as PID 1 (a reaper), the command its child. */
  init: boolean;
  /** Directory that becomes `/` (pivot_root), or null. */
  rootfs: string | null;
  /** Whether the new root is remounted read-only. */
  readOnly: boolean;
  /** Mounts to prepare, in the order given. */
  mounts: MountRequest[];
  /** Working directory of the command, or null (unchanged; `/` with a rootfs). */
  wd: string | null;
  /** The command: argv, the caller's environment with `--env`, signal state. */
  command: ExecTarget;
  /** A descriptor to write the run's PIDs and namespaces to, as JSON (`--info-fd`), or null. */
  infoFd: number | null;
}

/**
 * The command's environment: the caller's, with each `K=V` override
 * replacing every earlier `K=` entry or appended when there was none.
 *
 * @example
 * ```ts
 * commandEnvironment(["A=1", "B=2"], ["A=3", "C=4"]); // ["A=3", "B=2", "C=4"]
 * ```
 */
export function commandEnvironment(
  inherited: readonly string[],
  overrides: readonly string[],
): string[] {
  const env = [...inherited];
  for (const entry of overrides) {
    const key = entry.slice(0, entry.indexOf("=") + 1);
    const first = env.findIndex((item) => item.startsWith(key));
    const kept = env.filter((item) => !item.startsWith(key));
    if (first < 0) kept.push(entry);
    else kept.splice(first, 0, entry);
    env.splice(0, env.length, ...kept);
  }
  return env;
}

/**
 * The setup operations of a run's stage, in order: its namespaces, then
 * the mounts. (The PID namespace is unshared before, by `run` itself.)
 *
 * @example
 * ```ts
 * runSetupOps(plan).map((op) => op.op); // ["unshare", "loopback", "hostname", "root-propagation", "proc"]
 * ```
 */
export function runSetupOps(plan: RunPlan): SetupOp[] {
  const ns = plan.namespaces;
  const namespaces: NamespaceName[] = ["mnt"];
  if (ns.uts) namespaces.push("uts");
  if (ns.ipc) namespaces.push("ipc");
  if (ns.net) namespaces.push("net");
  if (ns.cgroup) namespaces.push("cgroup");
  const ops: SetupOp[] = [{ op: "unshare", namespaces }];
  if (ns.net) ops.push({ op: "loopback" });
  if (plan.hostname !== null) ops.push({ op: "hostname", name: plan.hostname });
  if (plan.propagation !== "unchanged") {
    ops.push({ op: "root-propagation", mode: plan.propagation });
  }
  const root = plan.rootfs;
  if (root !== null) ops.push({ op: "rootfs", dir: root });
  for (const request of plan.mounts) {
    ops.push(
      request.kind === "tmpfs"
        ? { op: "tmpfs", target: request.target, root }
        : {
          op: "bind",
          source: request.source!,
          target: request.target,
          root,
          readOnly: request.kind === "ro-bind",
        },
    );
  }
  if (root !== null) {
    if (plan.readOnly) ops.push({ op: "read-only-root", dir: root });
    ops.push({ op: "pivot-root", dir: root });
  }
  if (ns.pid || root !== null) ops.push({ op: "proc" });
  return ops;
}
