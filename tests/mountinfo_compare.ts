/**
 * Comparing mountinfo from two namespaces up to numbering: mount ids and new
 * peer group ids are relabelled by order of appearance, so two identical
 * setups compare equal exactly when their structure is equal.
 *
 * @module
 */

import { parseMountinfo } from "../lib/mount/mountinfo.ts";

/** What {@linkcode normalizeMountinfo} keeps as it is. */
export interface NormalizeOptions {
  /** Only mounts at or below this path; it is replaced by `$T`. */
  prefix?: string;
  /** Peer group ids that keep their number (a parent namespace's groups). */
  keepGroups?: ReadonlySet<number>;
}

/**
 * One line per mount: relabelled id and parent, target, root, fstype,
 * source, peer group, master group, unbindable.
 *
 * @example
 * ```ts
 * assert.deepEqual(normalizeMountinfo(a, { prefix: t1 }), normalizeMountinfo(b, { prefix: t2 }));
 * ```
 */
export function normalizeMountinfo(
  mountinfo: string,
  options: NormalizeOptions = {},
): string[] {
  const labels = new Map<string, string>();
  const label = (kind: string, n: number): string => {
    if (kind === "g" && options.keepGroups?.has(n)) return `group ${n}`;
    const key = `${kind}${n}`;
    if (!labels.has(key)) labels.set(key, `${kind}#${labels.size}`);
    return labels.get(key)!;
  };
  const prefix = options.prefix;
  return parseMountinfo(mountinfo)
    .filter((m) =>
      prefix === undefined || m.target === prefix ||
      m.target.startsWith(prefix + "/")
    )
    .map((m) =>
      [
        label("m", m.id),
        label("m", m.parent),
        prefix === undefined ? m.target : m.target.replace(prefix, "$T"),
        m.root,
        m.fstype,
        m.source,
        m.peer === null ? "-" : label("g", m.peer),
        m.master === null ? "-" : label("g", m.master),
        m.unbindable ? "unbindable" : "-",
      ].join(" ")
    );
}

/**
 * The peer group ids a mountinfo text mentions (shared and master).
 *
 * @example
 * ```ts
 * groupsOf("1 0 0:1 / / rw shared:3 - ext4 /dev/vda rw"); // Set {3}
 * ```
 */
export function groupsOf(mountinfo: string): Set<number> {
  const groups = new Set<number>();
  for (const mount of parseMountinfo(mountinfo)) {
    if (mount.peer !== null) groups.add(mount.peer);
    if (mount.master !== null) groups.add(mount.master);
  }
  return groups;
}
