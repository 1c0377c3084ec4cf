/**
 * The plan of `mntns run`: plain enough to serialize (the PID-1 stage
 * receives it as JSON through a pipe) and to test without root, and the
 * setup operations it makes.
 *
 * @module
 */

import type { ExecTarget } from "./exec_target.ts";
import type { RootPropagation } from "./root_propagation.ts";
import type { PrivilegeRequest } from "./privileges.ts";
import type { NamespaceName, SetupOp } from "./setup_ops.ts";

/**
 * A mount, directory or symbolic link to prepare before the command starts,
 * in the order given; targets are inside the new root when there is one.
 */
export type MountRequest =
  /** `bind`, `ro-bind` (bind, then read-only), `dev-bind` (bind, nosuid, devices usable). */
  | { kind: "bind" | "ro-bind" | "dev-bind"; source: string; target: string }
  /** A fresh tmpfs; `mode` and `size` from `--tmpfs-mode`/`--tmpfs-size`. */
  | { kind: "tmpfs"; target: string; mode?: number; size?: string }
  /** A directory (`--dir`; needs a new root). */
  | { kind: "dir"; target: string }
  /** A symbolic link at `target` whose text is `source` (`--symlink`; needs a new root). */
  | { kind: "symlink"; source: string; target: string };

/** One change to the command's environment, applied in order. */
export type EnvironmentChange =
  /** `--env K=V`: every `K=` entry replaced (in place of the first). */
  | { set: string }
  /** `--unsetenv K`: every `K=` entry removed. */
  | { unset: string }
  /** `--clearenv`: nothing inherited is left. */
  | { clear: true };

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
  /** Whether a minimal /dev is made in the new root (not with `--no-dev`). */
  dev: boolean;
  /** Whether /proc in the new root is masked as runc's (not with `--unmasked-proc`). */
  maskProc: boolean;
  /** Who the command runs as and what it may do. */
  privileges: PrivilegeRequest;
  /** Whether the run dies when mntns dies (PR_SET_PDEATHSIG). */
  dieWithParent: boolean;
  /** Working directory of the command, or null (unchanged; `/` with a rootfs). */
  wd: string | null;
  /** The command: argv, the caller's environment with `--env`, signal state. */
  command: ExecTarget;
  /** A descriptor to write the run's PIDs and namespaces to, as JSON (`--info-fd`), or null. */
  infoFd: number | null;
}

/**
 * The command's environment: the caller's, with the changes applied in
 * order. Setting `K=V` replaces every earlier `K=` entry, in place of the
 * first, or appends it when there was none.
 *
 * @example
 * ```ts
 * commandEnvironment(["A=1", "B=2"], [{ set: "A=3" }, { unset: "B" }, { set: "C=4" }]); // ["A=3", "C=4"]
 * ```
 */
export function commandEnvironment(
  inherited: readonly string[],
  changes: readonly EnvironmentChange[],
): string[] {
  let env = [...inherited];
  for (const change of changes) {
    if ("clear" in change) {
      env = [];
    } else if ("unset" in change) {
      env = env.filter((item) => !item.startsWith(`${change.unset}=`));
    } else {
      const entry = change.set;
      const key = entry.slice(0, entry.indexOf("=") + 1);
      const first = env.findIndex((item) => item.startsWith(key));
      const kept = env.filter((item) => !item.startsWith(key));
      if (first < 0) kept.push(entry);
      else kept.splice(first, 0, entry);
      env = kept;
    }
  }
  return env;
}

/**
 * A tmpfs's mode when `--tmpfs-mode` does not give one: 1777 (sticky,
 * writable by all) for /tmp and /var/tmp, as they must be, else 0755.
 *
 * @example
 * ```ts
 * defaultTmpfsMode("/var/tmp/"); // 0o1777
 * ```
 */
export function defaultTmpfsMode(target: string): number {
  const path = `/${target.split("/").filter(Boolean).join("/")}`;
  return path === "/tmp" || path === "/var/tmp" ? 0o1777 : 0o755;
}

/**
 * What to warn about before the plan is carried out: `--propagation shared`
 * sends the mounts made inside back out.
 *
 * @example
 * ```ts
 * runWarnings({ propagation: "shared" }); // ["mntns: warning: --propagation shared: ..."]
 * ```
 */
export function runWarnings(plan: Pick<RunPlan, "propagation">): string[] {
  return plan.propagation === "shared"
    ? [
      "mntns: warning: --propagation shared: mounts made inside will appear outside too",
    ]
    : [];
}

/** The setup operation of one request. */
function requestOp(request: MountRequest, root: string | null): SetupOp {
  switch (request.kind) {
    case "tmpfs":
      return {
        op: "tmpfs",
        target: request.target,
        root,
        mode: request.mode ?? defaultTmpfsMode(request.target),
        size: request.size ?? null,
      };
    case "dev-bind":
      return { op: "dev-bind", ...request, root };
    case "dir":
      return { op: "dir", target: request.target, root: root! };
    case "symlink":
      return {
        op: "symlink",
        target: request.source,
        path: request.target,
        root: root!,
      };
    default:
      return {
        op: "bind",
        source: request.source,
        target: request.target,
        root,
        readOnly: request.kind === "ro-bind",
      };
  }
}

/**
 * The setup operations of a run's stage, in order: its namespaces, then
 * the mounts: the new root, its minimal /dev, the requested mounts,
 * directories and links in order, the pivot, /proc and, in a new root,
 * /proc's masks. (The PID namespace is unshared before, by `run` itself.)
 *
 * @example
 * ```ts
 * const plan: RunPlan = { // mntns run --no-ipc --hostname box -- sh
 *   namespaces: { uts: true, pid: true, ipc: false, net: true, cgroup: false },
 *   hostname: "box",
 *   propagation: "private",
 *   init: false,
 *   rootfs: null,
 *   readOnly: false,
 *   mounts: [],
 *   dev: false,
 *   maskProc: false,
 *   privileges: { user: null, capabilities: [], noNewPrivs: false, newSession: false },
 *   dieWithParent: true,
 *   wd: null,
 *   command: { argv: ["sh"], env: [], signals: { ignored: [], blocked: [] } },
 *   infoFd: null,
 * };
 * runSetupOps(plan).map((op) => op.op);
 * // ["unshare", "loopback", "hostname", "root-propagation", "proc"]
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
  if (root !== null) {
    ops.push({ op: "rootfs", dir: root });
    if (plan.dev) ops.push({ op: "dev", root });
  }
  for (const request of plan.mounts) ops.push(requestOp(request, root));
  if (root !== null) {
    if (plan.readOnly) ops.push({ op: "read-only-root", dir: root });
    ops.push({ op: "pivot-root", dir: root });
  }
  if (ns.pid || root !== null) ops.push({ op: "proc" });
  if (root !== null && plan.maskProc) ops.push({ op: "mask-proc" });
  return ops;
}
