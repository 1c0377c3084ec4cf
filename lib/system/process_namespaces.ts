/**
 * A process's namespaces, by inode number: `/proc/PID/ns/KIND` is a link
 * to `KIND:[INODE]`.
 *
 * @module
 */

/** A kind of namespace, as /proc/PID/ns names it and unshare(2) makes it. */
export type UnshareName = "mnt" | "uts" | "ipc" | "net" | "pid" | "cgroup";

/** The namespaces mntns reports, in the order it lists them. */
export const NAMESPACE_KINDS: readonly UnshareName[] = [
  "mnt",
  "uts",
  "ipc",
  "net",
  "pid",
  "cgroup",
];

/** A process's namespaces: each kind's inode number. */
export type NamespaceInodes = Record<UnshareName, number>;

/**
 * The inode of a process's namespace of one kind (`"self"`: this
 * process's), or null when the process is gone or its namespaces cannot be
 * read (another user's process, without root).
 *
 * @example
 * ```ts
 * namespaceInode("self", "mnt"); // 4026531841
 * ```
 */
export function namespaceInode(
  pid: number | "self",
  kind: UnshareName,
): number | null {
  try {
    const match = /^\w+:\[(\d+)\]$/.exec(
      Deno.readLinkSync(`/proc/${pid}/ns/${kind}`),
    );
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Every namespace of a process ({@linkcode NAMESPACE_KINDS}), or null when
 * any of them cannot be read.
 *
 * @example
 * ```ts
 * namespaceInodes("self")?.net; // 4026531840
 * ```
 */
export function namespaceInodes(pid: number | "self"): NamespaceInodes | null {
  const inodes: Partial<NamespaceInodes> = {};
  for (const kind of NAMESPACE_KINDS) {
    const inode = namespaceInode(pid, kind);
    if (inode === null) return null;
    inodes[kind] = inode;
  }
  return inodes as NamespaceInodes;
}
