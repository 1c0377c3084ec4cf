/**
 * Comparing mountinfo from two namespaces up to numbering: mount ids and new
 * peer group ids are relabelled by order of appearance, so two identical
 * setups compare equal exactly when their structure is equal.
 *
 * The kernel's text is read here by a line splitter of its own, not by
 * lib/mount/mountinfo.ts: what the tests compare with util-linux must not depend
 * on the parser under test. Paths stay as the kernel escapes them (`\040`).
 *
 * @module
 */

/** The fields of one mountinfo line (proc(5)), as the kernel wrote them. */
export interface MountinfoLine {
  /** Mount id. */
  id: number;
  /** Parent mount id. */
  parent: number;
  /** The path in the filesystem that is the mount's root. */
  root: string;
  /** The mount point. */
  target: string;
  /** `shared:N`. */
  peer: number | null;
  /** `master:N`. */
  master: number | null;
  /** The `unbindable` tag. */
  unbindable: boolean;
  /** Filesystem type. */
  fstype: string;
  /** Mount source. */
  source: string;
}

/**
 * Splits mountinfo text into its lines' fields: `ID PARENT MAJ:MIN ROOT
 * TARGET OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER-OPTIONS`. Throws on a
 * line without those fields, naming it.
 *
 * @example
 * ```ts
 * splitMountinfo("2 1 0:2 / /a rw shared:7 - tmpfs t rw\n")[0].peer; // 7
 * ```
 */
export function splitMountinfo(mountinfo: string): MountinfoLine[] {
  return mountinfo.split("\n").filter((line) => line !== "").map((line) => {
    const fields = line.split(" ");
    const dash = fields.indexOf("-", 6);
    if (dash < 0 || fields.length !== dash + 4) {
      throw new Error(`not a mountinfo line (proc(5)): '${line}'`);
    }
    const optional = fields.slice(6, dash);
    const group = (tag: string): number | null => {
      const field = optional.find((f) => f.startsWith(`${tag}:`));
      return field === undefined ? null : Number(field.slice(tag.length + 1));
    };
    return {
      id: Number(fields[0]),
      parent: Number(fields[1]),
      root: fields[3],
      target: fields[4],
      peer: group("shared"),
      master: group("master"),
      unbindable: optional.includes("unbindable"),
      fstype: fields[dash + 1],
      source: fields[dash + 2],
    };
  });
}

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
 * normalizeMountinfo("20 1 0:30 / /t1/a rw shared:5 - tmpfs ta rw", { prefix: "/t1" });
 * // ["m#0 m#1 $T/a / tmpfs ta g#2 - -"], as for "70 1 0:31 / /t2/a rw shared:9 ..." with "/t2"
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
  return splitMountinfo(mountinfo)
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
  for (const mount of splitMountinfo(mountinfo)) {
    if (mount.peer !== null) groups.add(mount.peer);
    if (mount.master !== null) groups.add(mount.master);
  }
  return groups;
}
