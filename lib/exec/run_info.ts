/**
 * `mntns run --info-fd FD`: one line of JSON, written once the run's
 * namespaces and mounts are ready, so a script can `mntns enter` or
 * `nsenter -t` without searching (as bubblewrap's `--info-fd`):
 * `{"pid": host PID of the namespace's PID 1, "mntns": mntns's PID,
 * "namespaces": {"mnt": INODE, "uts", "ipc", "net", "pid", "cgroup"}}`.
 * The run stage writes it and closes the descriptor, which neither the
 * command nor mntns's wait stage keeps: a reader sees the end of the file
 * right after the line.
 *
 * @module
 */

import { SyscallError } from "../../ffi/errno.ts";
import { descriptorState } from "../../ffi/fds.ts";
import { sendMessage } from "../../ffi/gate.ts";
import { CommandError } from "../errors.ts";
import {
  type NamespaceInodes,
  namespaceInodes,
} from "../system/process_namespaces.ts";

/** What `--info-fd` reports. */
export interface RunInfo {
  /** The host PID of the first process of the namespaces (PID 1 of the PID namespace). */
  pid: number;
  /** mntns's PID (its wait stage's). */
  mntns: number;
  /** The namespaces of that first process. */
  namespaces: NamespaceInodes;
}

/**
 * Throws, naming the descriptor, unless the caller passed it open for
 * writing. One that is close-on-exec is Deno's own, not the caller's (every
 * descriptor Deno opens is), and counts as not open.
 *
 * @example
 * ```ts
 * checkInfoFd(3);
 * ```
 */
export function checkInfoFd(fd: number): void {
  let state = null;
  try {
    state = descriptorState(fd);
  } catch (error) {
    if (!(error instanceof SyscallError) || error.code !== "EBADF") throw error;
  }
  if (state === null || state.closeOnExec) {
    throw new CommandError(
      `--info-fd ${fd}: not an open descriptor — open it for writing (${fd}>FILE)`,
    );
  }
  if (!state.writable) {
    throw new CommandError(
      `--info-fd ${fd}: open for reading only — open it for writing (${fd}>FILE)`,
    );
  }
}

/**
 * What `--info-fd` reports, read in the run stage once it has made its
 * namespaces: its own namespaces, and the PIDs it was told.
 *
 * @example
 * ```ts
 * readRunInfo({ mntns: 4240, stage: 4242 }).pid; // 4242
 * ```
 */
export function readRunInfo(pids: { mntns: number; stage: number }): RunInfo {
  const namespaces = namespaceInodes("self");
  if (namespaces === null) {
    throw new CommandError(
      "--info-fd: cannot read /proc/self/ns — is /proc mounted?",
    );
  }
  return { pid: pids.stage, mntns: pids.mntns, namespaces };
}

/**
 * Writes the JSON line to the descriptor and closes it.
 *
 * @example
 * ```ts
 * writeRunInfo(3, readRunInfo({ mntns: 4240, stage: 4242 }));
 * ```
 */
export function writeRunInfo(fd: number, info: RunInfo): void {
  try {
    sendMessage(fd, new TextEncoder().encode(JSON.stringify(info) + "\n"));
  } catch (error) {
    if (!(error instanceof SyscallError)) throw error;
    throw new CommandError(`--info-fd ${fd}: ${error.message}`);
  }
}
