/**
 * The `mount(2)` flags that a bind remount must repeat to keep a mount's
 * per-mount options: the kernel sets a bind remount's per-mount flags to
 * exactly those it is given, dropping the others (and refuses with EPERM to
 * drop a locked one).
 *
 * The options come from mountinfo's sixth field, which the kernel writes in
 * fs/proc_namespace.c `show_mnt_opts`: `ro` or `rw`, then `nosuid`, `nodev`,
 * `noexec`, `noatime`, `nodiratime`, `relatime`, `nosymfollow` and
 * `idmapped`.
 *
 * @module
 */

import { MS } from "../../ffi/constants.ts";

/** The words of the per-mount options field, and the flag each one means. */
const OPTION_FLAGS: Readonly<Record<string, number>> = {
  rw: 0,
  ro: MS.RDONLY,
  nosuid: MS.NOSUID,
  nodev: MS.NODEV,
  noexec: MS.NOEXEC,
  noatime: MS.NOATIME,
  nodiratime: MS.NODIRATIME,
  relatime: MS.RELATIME,
  nosymfollow: MS.NOSYMFOLLOW,
  // An idmapping is no mount(2) flag; a remount keeps it.
  idmapped: 0,
};

/** What {@linkcode perMountFlags} found in a per-mount options field. */
export interface PerMountFlags {
  /** The `MS_*` flags that keep the options, atime mode included. */
  flags: number;
  /** Words no flag is known for, in the order given. */
  unknown: string[];
}

/**
 * The `MS_*` flags that keep a mount's per-mount options (mountinfo's
 * `rw,nosuid,relatime` field) through a bind remount. The atime mode is
 * always named: `noatime`, `relatime`, or, when the field shows neither, the
 * kernel's strictatime (`MS_STRICTATIME`); a remount that names none keeps
 * the old mode, but one that names only `nodiratime` would turn on
 * relatime. Words no flag is known for are returned in `unknown`, for the
 * caller to refuse rather than drop.
 *
 * @example
 * ```ts
 * import { MS } from "../../ffi/constants.ts";
 * import { perMountFlags } from "./per_mount_flags.ts";
 *
 * perMountFlags("rw,nosuid,nodev,relatime");
 * // { flags: MS.NOSUID | MS.NODEV | MS.RELATIME, unknown: [] }
 * ```
 */
export function perMountFlags(options: string): PerMountFlags {
  let flags = 0;
  const unknown: string[] = [];
  for (const word of options.split(",")) {
    if (word === "") continue;
    if (Object.hasOwn(OPTION_FLAGS, word)) flags |= OPTION_FLAGS[word];
    else unknown.push(word);
  }
  if ((flags & (MS.NOATIME | MS.RELATIME)) === 0) flags |= MS.STRICTATIME;
  return { flags, unknown };
}
