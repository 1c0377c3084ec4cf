/**
 * Directories and symbolic links made inside a new root before the pivot:
 * `--dir`, `--symlink`, and the /proc mount point when the root has none.
 * Like mount points, they are refused where `..` or a symlink would lead
 * out of the root.
 *
 * @module
 */

import { CommandError } from "../errors.ts";
import { normalizePath, parentDirectory } from "../mount/paths.ts";
import { resolveInsideRoot } from "./mounts.ts";

/**
 * Makes a directory inside the root, with its missing parents, as
 * `mkdir -p` would (the caller's umask applies); one that is there already
 * is left as it is. Returns its path outside the root.
 *
 * @example
 * ```ts
 * makeDirectory({ root: "/srv/root", target: "/proc" }); // "/srv/root/proc"
 * ```
 */
export function makeDirectory(
  options: { root: string; target: string },
): string {
  try {
    return resolveInsideRoot({ ...options, isFile: false });
  } catch (error) {
    if ((error as { code?: string }).code !== "EROFS") throw error;
    throw new CommandError(
      `${options.target}: cannot be made in the new root ${options.root}, which is on a read-only file system — create it there first`,
    );
  }
}

/**
 * Makes a symbolic link at `path` inside the root whose text is `target`
 * (the text is not resolved: it is read inside the new root later). A link
 * already there with the same text is kept, as bubblewrap keeps it; any
 * other file there is refused.
 *
 * @example
 * ```ts
 * makeSymlink({ root: "/srv/root", path: "/bin", target: "usr/bin" });
 * ```
 */
export function makeSymlink(
  options: { root: string; path: string; target: string },
): void {
  const path = normalizePath(options.path);
  if (path === "/") {
    throw new CommandError(
      `--symlink ${options.target}:${options.path}: the root itself cannot be a link — name a path below it`,
    );
  }
  const name = path.slice(path.lastIndexOf("/") + 1);
  const parent = makeDirectory({
    root: options.root,
    target: parentDirectory(path),
  });
  const link = `${parent === "/" ? "" : parent}/${name}`;
  let existing: string | null = null;
  try {
    existing = Deno.readLinkSync(link);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      Deno.symlinkSync(options.target, link);
      return;
    }
  }
  if (existing !== options.target) {
    throw new CommandError(
      `--symlink ${options.target}:${options.path}: ${options.path} exists in the new root${
        existing === null ? "" : ` (a link to ${existing})`
      } — remove it there or choose another path`,
    );
  }
}
