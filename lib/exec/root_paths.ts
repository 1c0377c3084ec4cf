/**
 * Paths inside a new root, resolved and made through descriptors: the root
 * is an open directory, every target is resolved inside it with
 * `openat2(RESOLVE_IN_ROOT)`, missing entries are made relative to their
 * parent's descriptor, and the caller mounts onto the descriptor it gets
 * back. Whatever the root's owner renames or swaps meanwhile, nothing is
 * made or mounted outside the root: `..` and symbolic links (absolute ones
 * too) resolve inside it, as they will after the pivot.
 *
 * @module
 */

import {
  makeDirectoryAt,
  makeFileAt,
  openInRoot,
  openPath,
} from "../../ffi/at_calls.ts";
import { E, SyscallError } from "../../ffi/errno.ts";
import { closeFd } from "../../ffi/fds.ts";
import { CommandError } from "../errors.ts";
import { normalizePath } from "../mount/paths.ts";

/** A new root: its open directory (the top mount there), and where it is. */
export interface RootHandle {
  /** A descriptor of the root's own mount, the one that becomes `/`. */
  fd: number;
  /** The root's real path, as seen before the pivot. */
  path: string;
  /** The ids of the mounts its recursive bind brought. */
  mounts: ReadonlySet<number>;
}

/** What to make where a target is missing: nothing, a directory, an empty file. */
export type MissingTarget = "none" | "directory" | "file";

/**
 * The path of an open descriptor that `mount(2)` can take as its target:
 * `/proc/self/fd/N` names the file the descriptor holds, not a path looked
 * up again.
 *
 * @example
 * ```ts
 * descriptorPath(7); // "/proc/self/fd/7"
 * ```
 */
export function descriptorPath(fd: number): string {
  return `/proc/self/fd/${fd}`;
}

/** `target`'s components, `.` dropped (`..` is resolved by the kernel, inside the root). */
function components(target: string): string[] {
  return normalizePath(`/${target}`).split("/").filter((part) => part !== "");
}

function isMissing(error: unknown): boolean {
  return error instanceof SyscallError && error.errno === E.NOENT;
}

function openMaking(
  root: RootHandle,
  parts: readonly string[],
  options: { make: MissingTarget; target: string },
): number {
  const path = parts.join("/");
  try {
    return openInRoot(root.fd, path, options.target);
  } catch (error) {
    if (!isMissing(error) || options.make === "none" || parts.length === 0) {
      throw error;
    }
  }
  const parent = openMaking(root, parts.slice(0, -1), {
    make: "directory",
    target: options.target,
  });
  const name = parts[parts.length - 1];
  try {
    if (options.make === "file") makeFileAt(parent, name, options.target);
    else makeDirectoryAt(parent, name, options.target);
  } finally {
    closeFd(parent);
  }
  try {
    return openInRoot(root.fd, path, options.target);
  } catch (error) {
    if (!isMissing(error)) throw error;
    throw new CommandError(
      `${options.target}: in the new root ${root.path}, '${name}' is a link to nothing, or it changed while mntns made it — make the path there first`,
    );
  }
}

/**
 * An `O_PATH` descriptor of `target`: without a root, the path as the
 * caller names it (links followed); inside a root, resolved in it, with
 * the missing directories made and, when `make` says so, the last
 * component made as a directory or an empty file. The caller closes it.
 *
 * @example
 * ```ts
 * const fd = openTarget({ root: null, target: "/mnt", make: "none" });
 * ```
 */
export function openTarget(
  options: { root: RootHandle | null; target: string; make: MissingTarget },
): number {
  if (options.root === null) return openPath(options.target);
  try {
    return openMaking(options.root, components(options.target), options);
  } catch (error) {
    if (!(error instanceof SyscallError) || error.errno !== E.ROFS) {
      throw error;
    }
    throw new CommandError(
      `${options.target}: cannot be made in the new root ${options.root.path}, which is on a read-only file system — create it there first`,
    );
  }
}
