/**
 * What libmount (util-linux 2.38) makes of a mount's words, for findmnt's
 * columns and filters: the pseudo filesystems (`--real`, `--pseudo`), the
 * merged OPTIONS column, the PROPAGATION words, and path equality.
 *
 * @module
 */

import type { Mount } from "./mountinfo.ts";

/** libmount's pseudo filesystem types (lib/utils.c `pseudofs`). */
const PSEUDO_FS: ReadonlySet<string> = new Set([
  "anon_inodefs",
  "apparmorfs",
  "autofs",
  "bdev",
  "binder",
  "binfmt_misc",
  "bpf",
  "cgroup",
  "cgroup2",
  "configfs",
  "cpuset",
  "debugfs",
  "devfs",
  "devpts",
  "devtmpfs",
  "dlmfs",
  "dmabuf",
  "drm",
  "efivarfs",
  "fuse",
  "fuse.archivemount",
  "fuse.avfsd",
  "fuse.dumpfs",
  "fuse.encfs",
  "fuse.gvfs-fuse-daemon",
  "fuse.gvfsd-fuse",
  "fuse.lxcfs",
  "fuse.rofiles-fuse",
  "fuse.vmware-vmblock",
  "fuse.xwmfs",
  "fusectl",
  "hugetlbfs",
  "ipathfs",
  "mqueue",
  "nfsd",
  "none",
  "nsfs",
  "overlay",
  "pipefs",
  "proc",
  "pstore",
  "ramfs",
  "resctrl",
  "rootfs",
  "rpc_pipefs",
  "securityfs",
  "selinuxfs",
  "smackfs",
  "sockfs",
  "spufs",
  "sysfs",
  "tmpfs",
  "tracefs",
  "vboxsf",
  "virtiofs",
]);

/**
 * Whether libmount counts a filesystem type as pseudo (no device behind
 * it): what findmnt's `--pseudo` keeps and `--real` drops.
 *
 * @example
 * ```ts
 * isPseudoFs("tmpfs"); // true
 * isPseudoFs("ext4"); // false
 * ```
 */
export function isPseudoFs(fstype: string): boolean {
  return PSEUDO_FS.has(fstype);
}

/** Removes the first option named exactly `name`; whether one was. */
function removeOption(options: string[], name: string): boolean {
  const at = options.indexOf(name);
  if (at < 0) return false;
  options.splice(at, 1);
  return true;
}

/**
 * findmnt's OPTIONS column: the per-mount and per-superblock options in one
 * list, as libmount merges them — `rw` or `ro` once, first, then the rest
 * in order.
 *
 * @example
 * ```ts
 * mergedOptions("rw,nosuid", "rw,size=10k"); // "rw,nosuid,size=10k"
 * mergedOptions("ro,relatime", "rw"); // "ro,relatime"
 * ```
 */
export function mergedOptions(vfs: string, fs: string): string {
  if (vfs === fs) return vfs;
  const options = `${vfs},${fs}`.split(",").filter((option) => option !== "");
  let rw = 0;
  let ro = 0;
  if (removeOption(options, "rw")) rw++;
  if (removeOption(options, "rw")) rw++;
  if (rw !== 2) {
    if (removeOption(options, "ro")) ro++;
    if (ro + rw < 2 && removeOption(options, "ro")) ro++;
  }
  return [ro > 0 ? "ro" : "rw", ...options].join(",");
}

/**
 * findmnt's PROPAGATION words: `shared` or `private`, then `,slave` and
 * `,unbindable` as they apply.
 *
 * @example
 * ```ts
 * findmntPropagation({ peer: null, master: 4, unbindable: false }); // "private,slave"
 * ```
 */
export function findmntPropagation(
  mount: Pick<Mount, "peer" | "master" | "unbindable">,
): string {
  return (mount.peer !== null ? "shared" : "private") +
    (mount.master !== null ? ",slave" : "") +
    (mount.unbindable ? ",unbindable" : "");
}

/**
 * Whether two paths are the same to libmount (`streq_paths`): equal once
 * repeated slashes and a trailing one are dropped.
 *
 * @example
 * ```ts
 * samePath("/a//b/", "/a/b"); // true
 * ```
 */
export function samePath(a: string, b: string): boolean {
  return a === b || pathWords(a) === pathWords(b);
}

function pathWords(path: string): string {
  const squeezed = path.replace(/\/+/g, "/");
  return squeezed.length > 1 && squeezed.endsWith("/")
    ? squeezed.slice(0, -1)
    : squeezed;
}
