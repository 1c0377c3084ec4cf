/**
 * Makes the minimal /dev of lib/plan/minimal_dev.ts inside a new root,
 * before the pivot (the host's device nodes are still at /dev then).
 *
 * @module
 */

import { MS } from "../../ffi/constants.ts";
import { mount } from "../../ffi/syscalls.ts";
import {
  DEV_NODES,
  DEV_PTS_DATA,
  DEV_SHM,
  DEV_SYMLINKS,
  DEV_TMPFS,
} from "../plan/minimal_dev.ts";
import { octalMode } from "../plan/setup_ops.ts";
import { devBindMount } from "./mounts.ts";
import { makeDirectory } from "./root_entries.ts";

/**
 * A tmpfs at the root's /dev (made when missing), the host's device nodes
 * bound into it, a new devpts instance at /dev/pts, a tmpfs at /dev/shm,
 * and the links.
 *
 * @example
 * ```ts
 * makeMinimalDev("/srv/root");
 * ```
 */
export function makeMinimalDev(root: string): void {
  const dev = makeDirectory({ root, target: "/dev" });
  mount({
    source: "tmpfs",
    target: dev,
    fstype: "tmpfs",
    flags: MS.NOSUID | MS.NODEV,
    data: `mode=${octalMode(DEV_TMPFS.mode)}`,
  });
  for (const node of DEV_NODES) {
    devBindMount({ source: `/dev/${node}`, target: `/dev/${node}`, root });
  }
  Deno.mkdirSync(`${dev}/pts`);
  mount({
    source: "devpts",
    target: `${dev}/pts`,
    fstype: "devpts",
    flags: MS.NOSUID | MS.NOEXEC,
    data: DEV_PTS_DATA,
  });
  Deno.mkdirSync(`${dev}/shm`);
  mount({
    source: "shm",
    target: `${dev}/shm`,
    fstype: "tmpfs",
    flags: MS.NOSUID | MS.NODEV | MS.NOEXEC,
    data: `mode=${octalMode(DEV_SHM.mode)}`,
  });
  for (const [name, text] of DEV_SYMLINKS) {
    Deno.symlinkSync(text, `${dev}/${name}`);
  }
}
