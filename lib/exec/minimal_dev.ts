/**
 * Makes the minimal /dev of lib/plan/minimal_dev.ts inside a new root,
 * before the pivot, through descriptors: the host's device nodes are opened
 * first (the tmpfs may cover them: with `--rootfs /` the root's /dev is the
 * host's), then everything is made relative to the tmpfs's descriptor.
 *
 * @module
 */

import {
  makeDirectoryAt,
  makeSymlinkAt,
  openInRoot,
  openPath,
} from "../../ffi/at_calls.ts";
import { MS } from "../../ffi/constants.ts";
import { closeFd } from "../../ffi/fds.ts";
import { mount } from "../../ffi/syscalls.ts";
import {
  DEV_NODES,
  DEV_PTS_DATA,
  DEV_SHM,
  DEV_SYMLINKS,
  DEV_TMPFS,
} from "../plan/minimal_dev.ts";
import { octalMode } from "../plan/setup_ops.ts";
import { devBindFrom, mountTmpfsOn, withFd } from "./mounts.ts";
import { descriptorPath, openTarget, type RootHandle } from "./root_paths.ts";

/**
 * A tmpfs at the root's /dev (made when missing), the host's device nodes
 * bound into it, a new devpts instance at /dev/pts, a tmpfs at /dev/shm,
 * and the links.
 *
 * @example
 * ```ts
 * import { bindRoot } from "./mounts.ts";
 * makeMinimalDev(bindRoot("/srv/root"));
 * ```
 */
export function makeMinimalDev(root: RootHandle): void {
  const sources = DEV_NODES.map((node) => openPath(`/dev/${node}`));
  try {
    withFd(
      openTarget({ root, target: "/dev", make: "directory" }),
      (fd) =>
        mountTmpfsOn(fd, {
          data: `mode=${octalMode(DEV_TMPFS.mode)}`,
          flags: 0,
          what: "/dev",
        }),
    );
    const dev: RootHandle = {
      ...root,
      fd: openTarget({ root, target: "/dev", make: "none" }),
      path: `${root.path === "/" ? "" : root.path}/dev`,
    };
    withFd(dev.fd, () => {
      DEV_NODES.forEach((node, i) =>
        devBindFrom(sources[i], {
          source: `/dev/${node}`,
          target: node,
          root: dev,
        })
      );
      const inDev = (name: string, use: (fd: number) => void): void => {
        makeDirectoryAt(dev.fd, name, `/dev/${name}`);
        withFd(openInRoot(dev.fd, name, `/dev/${name}`), use);
      };
      inDev("pts", (fd) =>
        mount({
          source: "devpts",
          target: descriptorPath(fd),
          shownAs: "/dev/pts",
          fstype: "devpts",
          flags: MS.NOSUID | MS.NOEXEC,
          data: DEV_PTS_DATA,
        }));
      inDev("shm", (fd) =>
        mountTmpfsOn(fd, {
          data: `mode=${octalMode(DEV_SHM.mode)}`,
          flags: MS.NOEXEC,
          what: "/dev/shm",
        }));
      for (const [name, text] of DEV_SYMLINKS) {
        makeSymlinkAt({ dirfd: dev.fd, name, text, what: `/dev/${name}` });
      }
    });
  } finally {
    sources.forEach((fd) => closeFd(fd));
  }
}
