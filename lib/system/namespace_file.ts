/**
 * Opening a file that keeps a namespace: one bound by
 * `mntns isolate --mount=FILE` or `unshare --mount=FILE` (or any
 * `/proc/PID/ns/*` file). What kind of namespace it holds comes from the
 * kernel (`NS_GET_NSTYPE`), not from its name.
 *
 * @module
 */

import { NAMESPACE_FLAGS } from "../../ffi/constants.ts";
import { SyscallError } from "../../ffi/errno.ts";
import { closeFd, openReadOnly } from "../../ffi/fds.ts";
import { namespaceType } from "../../ffi/namespaces.ts";
import { fileType } from "../../ffi/path_lookup.ts";
import { CommandError } from "../errors.ts";

/** The kind of namespace a file holds, by its `/proc/PID/ns/` name. */
export type NamespaceFileKind = keyof typeof NAMESPACE_FLAGS;

/** An open namespace file. */
export interface NamespaceFile {
  /** Its descriptor (close-on-exec). */
  fd: number;
  /** The kind of namespace it holds. */
  kind: NamespaceFileKind;
}

const KIND_OF_FLAG: ReadonlyMap<number, NamespaceFileKind> = new Map(
  Object.entries(NAMESPACE_FLAGS).map(([kind, flag]) =>
    [flag, kind as NamespaceFileKind] as const
  ),
);

function notNamespaceFile(path: string, what: string): CommandError {
  return new CommandError(
    `${path}: ${what}, not a namespace file (one is kept there by 'mntns isolate --mount=${path}')`,
  );
}

/**
 * Opens a namespace file and says what it holds; one line when it is no
 * namespace file (missing, a directory, a plain file, a FIFO — which is
 * never opened).
 *
 * @example
 * ```ts
 * openNamespaceFile("/run/mntns/box"); // { fd: 5, kind: "mnt" }
 * ```
 */
export function openNamespaceFile(path: string): NamespaceFile {
  let type;
  try {
    type = fileType(path);
  } catch (error) {
    if (error instanceof SyscallError && error.code === "ENOENT") {
      throw new CommandError(`${path}: no such file`);
    }
    throw error;
  }
  if (type !== "file") {
    throw notNamespaceFile(
      path,
      type === "directory" ? "a directory" : "not a regular file",
    );
  }
  const fd = openReadOnly(path, { directory: false });
  const kind = KIND_OF_FLAG.get(namespaceType(fd) ?? -1);
  if (kind === undefined) {
    closeFd(fd);
    throw notNamespaceFile(path, "a plain file");
  }
  return { fd, kind };
}
