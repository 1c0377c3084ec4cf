/**
 * Reading a kept mount namespace (`--ns FILE`: one bound on FILE by
 * `mntns isolate --mount=FILE` or `unshare --mount=FILE`). No process need
 * be in it, so there is no `/proc/PID/mountinfo` to read: mntns joins it on
 * its main thread (a short, synchronous command), and then its own
 * `/proc/self/mountinfo` and path lookups are the namespace's.
 *
 * @module
 */

import { NAMESPACE_FLAGS } from "../../ffi/constants.ts";
import { SyscallError } from "../../ffi/errno.ts";
import { closeFd } from "../../ffi/fds.ts";
import { joinNamespace } from "../../ffi/namespaces.ts";
import { CommandError } from "../errors.ts";
import { openNamespaceFile } from "./namespace_file.ts";

/** The file whose namespace this process has joined, once it has. */
let joined: string | null = null;

/**
 * Joins the mount namespace kept at `path`, once: later calls with the
 * same path do nothing.
 *
 * @example
 * ```ts
 * joinKeptNamespace("/run/ns/box");
 * Deno.readTextFileSync("/proc/self/mountinfo"); // the kept namespace's mounts
 * ```
 */
export function joinKeptNamespace(path: string): void {
  if (joined === path) return;
  if (joined !== null) {
    throw new Error(`already in the namespace kept at ${joined}, not ${path}`);
  }
  const file = openNamespaceFile(path);
  try {
    if (file.kind !== "mnt") {
      throw new CommandError(
        `${path}: holds a ${file.kind} namespace, not a mount namespace`,
      );
    }
    joinNamespace(file.fd, NAMESPACE_FLAGS.mnt);
  } catch (error) {
    if (!(error instanceof SyscallError)) throw error;
    throw new CommandError(
      `cannot enter the mount namespace kept at ${path}: ${error.message}`,
    );
  } finally {
    closeFd(file.fd);
  }
  joined = path;
}
