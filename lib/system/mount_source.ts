/**
 * Resolving a user's path against the mount table it is matched with: this
 * process's, another process's (inside its root), or a saved file's.
 *
 * @module
 */

import { fileType, realPath } from "../../ffi/path_lookup.ts";
import { SyscallError } from "../../ffi/errno.ts";
import { parentDirectory, resolvePath } from "../mount/paths.ts";
import { CommandError } from "../errors.ts";
import { joinKeptNamespace } from "./kept_namespace.ts";
import type { MountinfoSource } from "./read_mountinfo.ts";

/** How many symbolic links a path lookup follows before ELOOP, as Linux. */
const MAXSYMLINKS = 40;

/**
 * Makes a user's path absolute and canonical for matching against mount
 * targets. For this process's own mounts the real path (realpath(3), with
 * the path's exact bytes: symlinks resolved, and it must exist); for another
 * process's, resolved inside its root (`/proc/N/root`); for a kept
 * namespace's, in it (joined: a relative path starts at its root); for a
 * saved file, only normalized.
 *
 * @example
 * ```ts
 * canonicalPath("/proc/self/..", { kind: "self" }); // "/proc"
 * ```
 */
export function canonicalPath(path: string, source: MountinfoSource): string {
  if (source.kind === "file") return resolvePath("/", path);
  if (source.kind === "ns") joinKeptNamespace(source.path);
  try {
    return source.kind === "pid"
      ? realPathUnder(
        `/proc/${source.pid}/root`,
        resolvePath(Deno.cwd(), path),
      )
      : realPath(path);
  } catch (error) {
    if (
      error instanceof Deno.errors.NotFound ||
      (error instanceof SyscallError && error.code === "ENOENT")
    ) {
      throw new CommandError(`${path}: no such file or directory`);
    }
    if (error instanceof SyscallError) throw error;
    throw new CommandError(`${path}: ${(error as Error).message}`);
  }
}

/**
 * realpath(3) inside another process's root: each component is looked up
 * through `root` (`/proc/N/root`, so in N's mount namespace), and symbolic
 * links are followed there, absolute ones from N's root. (realpath itself
 * would turn `/proc/N/root` into `/` and go on in this namespace.)
 */
function realPathUnder(root: string, path: string): string {
  const pending = path.split("/").filter((part) => part !== "");
  let resolved = "/";
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === ".") continue;
    if (part === "..") {
      resolved = parentDirectory(resolved);
      continue;
    }
    const next = resolved === "/" ? `/${part}` : `${resolved}/${part}`;
    if (!Deno.lstatSync(root + next).isSymlink) {
      resolved = next;
      continue;
    }
    if (++links > MAXSYMLINKS) {
      throw new Error("too many levels of symbolic links");
    }
    const link = Deno.readLinkSync(root + next);
    pending.unshift(...link.split("/").filter((item) => item !== ""));
    if (link.startsWith("/")) resolved = "/";
  }
  return resolved;
}

/**
 * Whether a path (exact bytes) names a directory or a regular file: what
 * can be a mount point.
 *
 * @example
 * ```ts
 * isDirectoryOrFile("/dev/null"); // false
 * ```
 */
export function isDirectoryOrFile(path: string): boolean {
  return fileType(path) !== "other";
}
