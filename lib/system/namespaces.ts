/**
 * Mount namespaces on this machine: each one named by its inode number
 * (`/proc/<pid>/ns/mnt` → `mnt:[4026531841]`) and one process in it, with
 * the mounts that process sees. Processes come and go while /proc is read: a
 * pid that vanishes is skipped, and the next process of its namespace is
 * tried.
 *
 * @module
 */

import { decodeBytes } from "../bytes.ts";
import { CommandError } from "../errors.ts";
import type { MountNamespace } from "../mount/namespace.ts";
import { namespaceInode } from "./process_namespaces.ts";
import { type MountinfoSource, readMountinfo } from "./read_mountinfo.ts";

/**
 * The mount namespace inode of a process (`"self"`: this one), or `null`
 * when the process is gone or its namespace cannot be read.
 *
 * @example
 * ```ts
 * mountNamespaceOf("self"); // 4026531841
 * ```
 */
export function mountNamespaceOf(pid: number | "self"): number | null {
  return namespaceInode(pid, "mnt");
}

/**
 * A process's command name (`/proc/PID/comm`), or null when it is gone.
 *
 * @example
 * ```ts
 * readComm(1); // "systemd"
 * ```
 */
export function readComm(pid: number): string | null {
  try {
    return decodeBytes(Deno.readFileSync(`/proc/${pid}/comm`)).trimEnd();
  } catch {
    return null;
  }
}

/**
 * The namespace a mountinfo source names: this process's, `--pid N`'s, or
 * the one kept at `--ns FILE` (joined to be read). For this process's own
 * namespace, and a kept one, the process named is another one in it that
 * outlives mntns (the lowest pid; null when there is none), never mntns
 * itself. Failures say which process and what to do.
 *
 * @example
 * ```ts
 * callerNamespace({ kind: "self" }).pid; // 1, for the machine's namespace
 * ```
 */
export function callerNamespace(source: MountinfoSource): MountNamespace {
  if (source.kind === "file") {
    throw new CommandError(
      `${source.path}: a saved mountinfo names no namespace — use --pid N`,
    );
  }
  const mounts = readMountinfo(source);
  if (source.kind === "pid") {
    const { pid } = source;
    const ns = mountNamespaceOf(pid);
    if (ns === null) {
      throw new CommandError(
        `/proc/${pid}/ns/mnt: cannot read the mount namespace of pid ${pid} — run as root`,
      );
    }
    return { ns, pid, comm: readComm(pid) ?? "?", mounts };
  }
  const ns = mountNamespaceOf("self");
  if (ns === null) {
    throw new CommandError(
      "/proc/self/ns/mnt: cannot read this process's mount namespace — run as root",
    );
  }
  const kept = source.kind === "ns" ? { keptAt: source.path } : {};
  return { ns, ...otherProcessIn(ns), mounts, ...kept };
}

/**
 * The lowest pid in namespace `ns` other than this process (as /proc numbers
 * it), with its command name; both null when there is none.
 *
 * @example
 * ```ts
 * otherProcessIn(mountNamespaceOf("self")!); // { pid: 1, comm: "systemd" }
 * ```
 */
export function otherProcessIn(
  ns: number,
): { pid: number | null; comm: string | null } {
  const self = Number(Deno.readLinkSync("/proc/self"));
  for (const pid of numericPids()) {
    if (pid === self || mountNamespaceOf(pid) !== ns) continue;
    const comm = readComm(pid);
    if (comm !== null) return { pid, comm };
  }
  return { pid: null, comm: null };
}

/**
 * Every process /proc lists, by pid, lowest first.
 *
 * @example
 * ```ts
 * numericPids()[0]; // 1
 * ```
 */
export function numericPids(): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (/^\d+$/.test(entry.name)) pids.push(Number(entry.name));
  }
  return pids.sort((a, b) => a - b);
}

/** Reads one process's namespace, or `null` if it vanished meanwhile. */
function readProcess(pid: number, ns: number): MountNamespace | null {
  try {
    const mounts = readMountinfo({ kind: "pid", pid });
    const comm = readComm(pid);
    // The pid may have exited and been reused while it was read.
    if (comm === null || mountNamespaceOf(pid) !== ns) return null;
    return { ns, pid, comm, mounts };
  } catch {
    return null;
  }
}

/**
 * Every mount namespace on the machine that some process is in, the
 * caller's first (as given), the rest by their lowest pid. A process that
 * exits while it is read is skipped, never an error.
 *
 * @example
 * ```ts
 * const all = allNamespaces(callerNamespace({ kind: "self" }));
 * all.map((namespace) => namespace.ns);
 * ```
 */
export function allNamespaces(caller: MountNamespace): MountNamespace[] {
  const found: MountNamespace[] = [caller];
  const done = new Set([caller.ns]);
  for (const pid of numericPids()) {
    const ns = mountNamespaceOf(pid);
    if (ns === null || done.has(ns)) continue;
    const namespace = readProcess(pid, ns);
    if (namespace === null) continue;
    done.add(ns);
    found.push(namespace);
  }
  return found;
}

/**
 * The namespaces a command looks at: the caller's alone, or with `all`,
 * every one on the machine.
 *
 * @example
 * ```ts
 * readNamespaces({ source: { kind: "self" }, all: true }).length; // 3
 * ```
 */
export function readNamespaces(
  options: { source: MountinfoSource; all: boolean },
): MountNamespace[] {
  const caller = callerNamespace(options.source);
  return options.all ? allNamespaces(caller) : [caller];
}
