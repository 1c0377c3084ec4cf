/**
 * The hidden stage of `mntns run` that is the first process of the new PID
 * namespace (PID 1): it makes sure mntns is still alive, unshares the other
 * namespaces, prepares the mounts and `/proc`, and then becomes the command
 * (or, with `--init`, starts it as its child and stays as its reaper).
 *
 * Everything here is synchronous until the command runs: after
 * `unshare(CLONE_NEWNS)` only the main thread is in the new mount namespace.
 *
 * @module
 */

import { CLONE, MS } from "../../ffi/constants.ts";
import { closeFd, isReadable } from "../../ffi/fds.ts";
import { bringLoopbackUp } from "../../ffi/loopback.ts";
import {
  chdir,
  mount,
  sethostname,
  setParentDeathSignal,
  unshare,
} from "../../ffi/syscalls.ts";
import type { SignalState } from "../../ffi/signals.ts";
import { execCommand } from "./exec_command.ts";
import { CommandError } from "../errors.ts";
import { mountAt, mountContaining } from "../mount/lookup.ts";
import { applyMountRequests, pivotIntoRoot } from "./prepare_mounts.ts";
import type { RunPlan } from "../plan/run_plan.ts";
import { SIG } from "../system/signals.ts";
import { readMountinfo } from "../system/read_mountinfo.ts";
import { rootPropagationFlags } from "./propagation_flags.ts";

/** The plan as the stage receives it: the run plan and what mntns found. */
export interface StagePlan extends RunPlan {
  /** The command's complete environment. */
  env: string[];
  /** The signal state the caller gave mntns, less what Deno added. */
  signals: SignalState;
  /** The signals passed on to the command (blocked in this stage). */
  forwarded: number[];
}

/**
 * Dies with the parent: PR_SET_PDEATHSIG, then a check through the pidfd
 * that the parent had not died before that (getppid() is 0 in a new PID
 * namespace, so it cannot tell). The pidfd is closed: the command must not
 * inherit it.
 *
 * @example
 * ```ts
 * followParent(pidfd);
 * ```
 */
export function followParent(pidfd: number): void {
  setParentDeathSignal(SIG.KILL);
  const gone = isReadable(pidfd);
  closeFd(pidfd);
  if (gone) Deno.exit(1);
}

/** Where the fresh /proc goes, as seen before any pivot. */
interface ProcSite {
  /** Whether /proc is a mount point already. */
  isMountPoint: boolean;
  /** Whether the mount it would be mounted on is shared. */
  parentShared: boolean;
}

/**
 * Looks at the mount point for /proc (`path`, inside the new root when
 * there is one) in the current mount table.
 *
 * @example
 * ```ts
 * procSite("/proc"); // { isMountPoint: true, parentShared: false }
 * ```
 */
export function procSite(path: string): ProcSite {
  const mounts = readMountinfo({ kind: "self" });
  return {
    isMountPoint: mountAt(mounts, path) !== undefined,
    parentShared: mountContaining(mounts, path)?.peer !== null,
  };
}

/**
 * Mounts a fresh proc at /proc (nosuid, nodev, noexec). The /proc mount
 * point is made private (recursively) first, as util-linux does, so the
 * proc mount cannot travel out; where /proc is no mount point and its
 * parent mount is shared, that is impossible, and this refuses.
 */
function mountFreshProc(site: ProcSite): void {
  if (site.isMountPoint) {
    mount({ source: "none", target: "/proc", flags: MS.REC | MS.PRIVATE });
  } else if (site.parentShared) {
    throw new CommandError(
      "/proc is no mount point and / is shared: a proc mount there would travel out — use --propagation private or slave",
    );
  }
  mount({
    source: "proc",
    target: "/proc",
    fstype: "proc",
    flags: MS.NOSUID | MS.NODEV | MS.NOEXEC,
  });
}

/**
 * Enters the namespaces of a plan (all but PID, which the parent made) and
 * sets the hostname and loopback interface in them.
 *
 * @example
 * ```ts
 * enterNamespaces(plan);
 * ```
 */
export function enterNamespaces(plan: StagePlan): void {
  const ns = plan.namespaces;
  unshare(
    CLONE.NEWNS | (ns.uts ? CLONE.NEWUTS : 0) | (ns.ipc ? CLONE.NEWIPC : 0) |
      (ns.net ? CLONE.NEWNET : 0) | (ns.cgroup ? CLONE.NEWCGROUP : 0),
  );
  if (ns.net) bringLoopbackUp();
  if (plan.hostname !== null) sethostname(plan.hostname);
}

/** Throws, naming the root, when the new root has no `proc` to mount on. */
function requireProcDirectory(rootfs: string, procPath: string): void {
  try {
    Deno.statSync(procPath);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new CommandError(
      `--rootfs ${rootfs}: it has no /proc directory — create ${procPath} (the fresh /proc is mounted there)`,
    );
  }
}

/**
 * Prepares the mounts of a plan in the new mount namespace: propagation of
 * `/`, binds and tmpfs, the new root (read-only with `--read-only`), a
 * fresh /proc.
 *
 * @example
 * ```ts
 * prepareMounts(plan);
 * ```
 */
export function prepareMounts(plan: StagePlan): void {
  const flags = rootPropagationFlags(plan.propagation);
  if (flags !== undefined) mount({ source: "none", target: "/", flags });
  let site: ProcSite;
  if (plan.rootfs !== null) {
    const rootfs = plan.rootfs;
    site = pivotIntoRoot({
      rootfs,
      requests: plan.mounts,
      readOnly: plan.readOnly,
      inspect: (procPath) => {
        requireProcDirectory(rootfs, procPath);
        return procSite(procPath);
      },
    });
  } else {
    applyMountRequests(plan.mounts, null);
    site = procSite("/proc");
  }
  if (plan.namespaces.pid || plan.rootfs !== null) mountFreshProc(site);
}

/**
 * Runs the stage: namespaces and mounts, then the command in place of this
 * process, or with `--init` under this process as its init. Returns the
 * exit status (init).
 *
 * @example
 * ```ts
 * await runStage(plan);
 * ```
 */
export async function runStage(plan: StagePlan): Promise<number> {
  const init = plan.init ? await import("./run_init.ts") : undefined;
  enterNamespaces(plan);
  const wd = plan.wd ?? (plan.rootfs !== null ? "/" : null);
  const target = {
    file: plan.file,
    argv: plan.argv,
    env: plan.env,
    signals: plan.signals,
  };
  if (init) {
    return init.runInit({
      target: { ...target, wd },
      forwarded: plan.forwarded,
      prepare: () => prepareMounts(plan),
    });
  }
  prepareMounts(plan);
  if (wd !== null) chdir(wd);
  return execCommand(target);
}
