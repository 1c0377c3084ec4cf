/**
 * The one executor of setup operations (lib/plan/setup_ops.ts), for
 * `isolate` and for `run`'s stage: each operation in order, and nothing
 * else mounts.
 *
 * Everything is synchronous: after `unshare(CLONE_NEWNS)` only the main
 * thread is in the new mount namespace; Deno's async file operations run on
 * worker threads that stay in the old one.
 *
 * @module
 */

import { MS, NAMESPACE_FLAGS } from "../../ffi/constants.ts";
import { bringLoopbackUp } from "../../ffi/loopback.ts";
import {
  chdir,
  chroot,
  mount,
  sethostname,
  unshare,
} from "../../ffi/syscalls.ts";
import { CommandError } from "../errors.ts";
import { mountAt, mountContaining } from "../mount/lookup.ts";
import type { SetupOp } from "../plan/setup_ops.ts";
import { readMountinfo } from "../system/read_mountinfo.ts";
import {
  bindMount,
  bindRoot,
  devBindMount,
  makeRootReadOnly,
  pivotInto,
  tmpfsMount,
} from "./mounts.ts";
import { type NamespaceKeeper, prepareKeeping } from "./keep_namespace.ts";
import { makeMinimalDev } from "./minimal_dev.ts";
import { maskProc, type NullCopies, prepareNullCopies } from "./proc_masks.ts";
import { propagationFlags } from "./propagation_flags.ts";
import { makeDirectory, makeSymlink } from "./root_entries.ts";
import type { RootHandle } from "./root_paths.ts";

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
 */
function procSite(path: string): ProcSite {
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

/** What the operations so far left for the later ones. */
interface SetupState {
  /** The namespace to keep, prepared before the unshare (`keep-namespace`). */
  keeper: NamespaceKeeper | null;
  /** The new root, once bound (`rootfs`). */
  root: RootHandle | null;
  /** The /proc mount point in the new root, made when missing. */
  procPoint: string | null;
  /** The /proc site, looked at before the pivot (after it, no /proc). */
  procSite: ProcSite | null;
  /** Copies of /dev/null for /proc's masks, made before the pivot. */
  nullCopies: NullCopies;
}

function rootOf(state: SetupState, given: string | null): RootHandle | null {
  if (given === null) return null;
  if (state.root === null) {
    throw new Error(`setup: ${given} is used before its rootfs operation`);
  }
  return state.root;
}

/**
 * Makes the operations, in order.
 *
 * @example
 * ```ts
 * executeSetup([{ op: "unshare", namespaces: ["mnt"] }, { op: "root-propagation", mode: "private" }]);
 * ```
 */
export function executeSetup(ops: readonly SetupOp[]): void {
  const keep = ops.find((op) => op.op === "keep-namespace");
  const state: SetupState = {
    keeper: keep ? prepareKeeping(keep.file) : null,
    root: null,
    procPoint: null,
    procSite: null,
    nullCopies: [],
  };
  const masksProc = ops.some((op) => op.op === "mask-proc");
  const mountsProc = ops.some((op) => op.op === "proc");
  for (const op of ops) {
    switch (op.op) {
      case "unshare":
        unshare(
          op.namespaces.reduce(
            (flags, name) => flags | NAMESPACE_FLAGS[name],
            0,
          ),
        );
        break;
      case "keep-namespace":
        state.keeper?.keep();
        break;
      case "loopback":
        bringLoopbackUp();
        break;
      case "hostname":
        sethostname(op.name);
        break;
      case "root-propagation":
        mount({
          source: "none",
          target: "/",
          flags: propagationFlags(op.mode, true),
        });
        break;
      case "rootfs":
        state.root = bindRoot(op.dir);
        if (mountsProc) {
          makeDirectory({ root: state.root, target: "/proc" });
          state.procPoint = `${
            state.root.path === "/" ? "" : state.root.path
          }/proc`;
        }
        break;
      case "dev":
        makeMinimalDev(rootOf(state, op.root)!);
        break;
      case "bind":
        bindMount({ ...op, root: rootOf(state, op.root) });
        break;
      case "dev-bind":
        devBindMount({ ...op, root: rootOf(state, op.root) });
        break;
      case "tmpfs":
        tmpfsMount({ ...op, root: rootOf(state, op.root) });
        break;
      case "dir":
        makeDirectory({ target: op.target, root: rootOf(state, op.root)! });
        break;
      case "symlink":
        makeSymlink({ ...op, root: rootOf(state, op.root)! });
        break;
      case "read-only-root":
        if (state.root === null) {
          throw new Error("setup: no root to make read-only");
        }
        makeRootReadOnly(state.root);
        break;
      case "pivot-root": {
        if (state.procPoint !== null) {
          state.procSite = procSite(state.procPoint);
        }
        if (masksProc) state.nullCopies = prepareNullCopies();
        pivotInto(rootOf(state, op.dir)!);
        break;
      }
      case "proc":
        mountFreshProc(state.procSite ?? procSite("/proc"));
        break;
      case "mask-proc":
        maskProc(state.nullCopies);
        break;
      case "chroot":
        chroot(op.dir);
        break;
      case "chdir":
        chdir(op.dir);
        break;
    }
  }
}
