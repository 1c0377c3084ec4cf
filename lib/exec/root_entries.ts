/**
 * Directories and symbolic links made inside a new root before the pivot:
 * `--dir`, `--symlink`, and the /proc mount point when the root has none.
 * Like mount points, they are made through descriptors, resolved inside the
 * root (lib/exec/root_paths.ts).
 *
 * @module
 */

import { makeSymlinkAt, readLinkAt } from "../../ffi/at_calls.ts";
import { CommandError } from "../errors.ts";
import { normalizePath, parentDirectory } from "../mount/paths.ts";
import { withFd } from "./mounts.ts";
import { openTarget, type RootHandle } from "./root_paths.ts";

/**
 * Makes a directory inside the root, with its missing parents, as
 * `mkdir -p` would (the caller's umask applies); one that is there already
 * is left as it is.
 *
 * @example
 * ```ts
 * import { bindRoot } from "./mounts.ts";
 * makeDirectory({ root: bindRoot("/srv/root"), target: "/proc" });
 * ```
 */
export function makeDirectory(
  options: { root: RootHandle; target: string },
): void {
  withFd(openTarget({ ...options, make: "directory" }), () => {});
}

/**
 * Makes a symbolic link at `path` inside the root whose text is `target`
 * (the text is not resolved: it is read inside the new root later). A link
 * already there with the same text is kept, as bubblewrap keeps it; any
 * other file there is refused.
 *
 * @example
 * ```ts
 * import { bindRoot } from "./mounts.ts";
 * makeSymlink({ root: bindRoot("/srv/root"), path: "/bin", target: "usr/bin" });
 * ```
 */
export function makeSymlink(
  options: { root: RootHandle; path: string; target: string },
): void {
  const path = normalizePath(options.path);
  if (path === "/") {
    throw new CommandError(
      `--symlink ${options.target}:${options.path}: the root itself cannot be a link — name a path below it`,
    );
  }
  const name = path.slice(path.lastIndexOf("/") + 1);
  const parent = openTarget({
    root: options.root,
    target: parentDirectory(path),
    make: "directory",
  });
  const existing = withFd(parent, (dirfd) => {
    const what = options.path;
    if (makeSymlinkAt({ dirfd, name, text: options.target, what })) {
      return options.target;
    }
    return readLinkAt(dirfd, name, what);
  });
  if (existing !== options.target) {
    throw new CommandError(
      `--symlink ${options.target}:${options.path}: ${options.path} exists in the new root${
        existing === null ? "" : ` (a link to ${existing})`
      } — remove it there or choose another path`,
    );
  }
}
