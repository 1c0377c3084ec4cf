/**
 * One read of a watch across namespaces, told as events: each namespace's
 * changes (lib/mount/mount_events.ts), with the copies one mount event made
 * in other places grouped under it. Pure: the tables are given.
 *
 * A mount made on a shared mount gets a new peer group N; the kernel copies
 * it to every peer of that mount (the copies join N) and to its slaves (the
 * copies are slaves of N), recursively (fs/pnode.c `propagate_mnt`). So
 * mounts that appear in one read and share a peer or master group id are
 * one event. Its origin is the mount allocated first, the lowest mount id
 * (the kernel gives the lowest free id, and makes the copies after the
 * mount), or the mount that was moved, when a move made the copies. An
 * unmount travels the same way; mounts gone in one read that shared a group
 * are one event, told from the first namespace watched (among peers, where
 * an unmount started cannot be seen).
 *
 * A namespace found in this read has no earlier table; its mounts in a
 * group that no earlier table knew belong to this read's event (a mount
 * made in a namespace that was born since the last read: the origin of a
 * leak, typically). Its other mounts that the namespace it was copied from
 * does not hold (lib/mount/late_mounts.ts) were made before it was seen:
 * they are mount events too, marked late, grouped by shared group ids as
 * any other.
 *
 * @module
 */

import { lateMounts } from "./late_mounts.ts";
import type { Mount } from "./mountinfo.ts";
import {
  diffMounts,
  type MountChange,
  type MountEventKind,
} from "./mount_events.ts";
import { pathBelow } from "./paths.ts";

/** A watched namespace: its inode and a process in it. */
export interface WatchedNamespace {
  /** The namespace's inode number. */
  ns: number;
  /** A process in it; null for mntns's own namespace when no other process is in it. */
  pid: number | null;
  /** That process's command name; null with no pid. */
  comm: string | null;
}

/** One namespace in one read of a watch. */
export interface NamespaceRead {
  /** The namespace. */
  namespace: WatchedNamespace;
  /** Its mounts at the read before; null when it was found in this read. */
  before: readonly Mount[] | null;
  /** Its mounts now. */
  after: readonly Mount[];
  /**
   * For a namespace found in this read: the table of the namespace it was
   * copied from (or another to tell its late mounts against); its mounts
   * beyond that table are events marked late. Absent: none are.
   */
  baseline?: readonly Mount[];
}

/** How a copy got where it is: the mount it sits on, relative to the origin's. */
export interface Route {
  /** `peer`: that mount is in the origin's parent's peer group; `slave`: it is a slave of the group. */
  as: "peer" | "slave";
  /** The group's id. */
  group: number;
}

/** A mount an event is about, in its namespace. */
export interface EventPlace {
  /** The namespace. */
  namespace: WatchedNamespace;
  /** The mount now; for `umount`, as it was. */
  mount: Mount;
  /** For `move`, `remount` and `propagation`: the mount as it was. */
  before: Mount | null;
  /** Whether its namespace was found in this read (the mount was there at mntns's first look). */
  newNamespace: boolean;
  /** Whether the mount was made before its namespace was seen: found there, not in the namespace it was copied from. */
  late: boolean;
}

/** A copy of an event's mount elsewhere. */
export interface EventCopy extends EventPlace {
  /** How it got there; null when the mount it sits on tells nothing. */
  via: Route | null;
}

/** One event: its mount, and the copies of it the kernel made or removed with it. */
export interface WatchEvent {
  /** What happened at the origin. */
  kind: MountEventKind;
  /** Where it happened. */
  origin: EventPlace;
  /** Where it happened too, because of propagation. */
  copies: EventCopy[];
}

/** A namespace that appeared, or is gone: no process is left in it. */
export interface NamespaceNotice {
  /** Which. */
  change: "appeared" | "gone";
  /** The namespace (for `gone`, the process it was seen through last). */
  namespace: WatchedNamespace;
  /** Its mounts (for `gone`, at the last read). */
  mounts: readonly Mount[];
  /** For `appeared`: the namespace it was copied from, where that can be told (its creator's); else null. */
  copiedFrom: number | null;
}

/** Something a watch could not see, said on a line of its own. */
export interface WatchWarning {
  /** `overflow`: the kernel dropped events; `unreadable`: a namespace could not be read. */
  kind: "overflow" | "unreadable";
  /** What was lost, and what the watch did about it. */
  detail: string;
  /** The namespace it concerns, if one. */
  ns: number | null;
  /** A process in it, if one. */
  pid: number | null;
}

/** How new namespaces are found, and why so. */
export interface Discovery {
  /** `process events`: as a process execs; `scan`: by a look in /proc. */
  how: "process events" | "scan";
  /** Why the process events connector is not used; null when it is. */
  why: string | null;
}

/** How a watch sees, said once as it starts. */
export interface WatchStart {
  /** How many namespaces it watches at its start. */
  namespaces: number;
  /** How it finds new namespaces; null when it watches one. */
  discovery: Discovery | null;
}

/** What one read of a watch has to say. */
export interface WatchReport {
  /** When it was read. */
  time: Date;
  /** At its start, when the start is to be said; else null. */
  start: WatchStart | null;
  /** Namespaces found. */
  appeared: readonly NamespaceNotice[];
  /** The events (at the watch's paths). */
  events: readonly WatchEvent[];
  /** Namespaces left with no process, no longer watched. */
  gone: readonly NamespaceNotice[];
  /** What could not be seen. */
  warnings: readonly WatchWarning[];
}

/** A change found in one namespace, with where it was found. */
interface Entry {
  read: NamespaceRead;
  change: MountChange;
  newNamespace: boolean;
  late: boolean;
}

/** Union-find over entry indexes. */
class Sets {
  #parent: number[] = [];

  add(): number {
    this.#parent.push(this.#parent.length);
    return this.#parent.length - 1;
  }

  find(index: number): number {
    while (this.#parent[index] !== index) {
      this.#parent[index] = this.#parent[this.#parent[index]];
      index = this.#parent[index];
    }
    return index;
  }

  join(a: number, b: number): void {
    this.#parent[this.find(a)] = this.find(b);
  }
}

function groupIds(mount: Mount): number[] {
  const ids: number[] = [];
  if (mount.peer !== null) ids.push(mount.peer);
  if (mount.master !== null) ids.push(mount.master);
  return ids;
}

function arrives(entry: Entry): boolean {
  return entry.change.kind === "mount" || entry.change.kind === "move";
}

/** Mount tables indexed by mount id, each built on first use. */
class TableIndex {
  #byTable = new WeakMap<readonly Mount[], Map<number, Mount>>();

  /** The parent of an entry's mount, in its table (as it was, for umount). */
  parentOf(entry: Entry): Mount | undefined {
    const table = entry.change.kind === "umount"
      ? entry.read.before!
      : entry.read.after;
    let byId = this.#byTable.get(table);
    if (byId === undefined) {
      byId = new Map(table.map((mount) => [mount.id, mount]));
      this.#byTable.set(table, byId);
    }
    return byId.get(entry.change.mount.parent);
  }

  /** How a copy got where it is, from its parent and the origin's. */
  routeOf(copy: Entry, origin: Entry): Route | null {
    const parent = this.parentOf(copy);
    if (parent === undefined) return null;
    const originParent = this.parentOf(origin);
    if (parent.peer !== null && parent.peer === originParent?.peer) {
      return { as: "peer", group: parent.peer };
    }
    if (parent.master !== null) return { as: "slave", group: parent.master };
    return parent.peer === null ? null : { as: "peer", group: parent.peer };
  }
}

function place(entry: Entry): EventPlace {
  return {
    namespace: entry.read.namespace,
    mount: entry.change.mount,
    before: entry.change.before,
    newNamespace: entry.newNamespace,
    late: entry.late,
  };
}

/** The member an event is told from (see the module's description). */
function originOf(members: readonly Entry[]): Entry {
  if (!arrives(members[0])) return members[0];
  return members.find((entry) => entry.change.kind === "move") ??
    members.reduce((lowest, entry) =>
      entry.change.mount.id < lowest.change.mount.id ? entry : lowest
    );
}

/**
 * The changes of one read (for namespaces found in it, their mounts that
 * belong to this read's events, then their late mounts), each tied by a
 * shared group id to the other changes of the same kind of direction
 * (arriving: mount and move; leaving: umount).
 */
function collectEntries(
  reads: readonly NamespaceRead[],
): { entries: Entry[]; sets: Sets } {
  const entries: Entry[] = [];
  const sets = new Sets();
  const byGroup = {
    arriving: new Map<number, number>(),
    leaving: new Map<number, number>(),
  };
  const tie = (index: number): void => {
    const entry = entries[index];
    if (entry.change.kind !== "umount" && !arrives(entry)) return;
    const groups = arrives(entry) ? byGroup.arriving : byGroup.leaving;
    for (const id of groupIds(entry.change.mount)) {
      const first = groups.get(id);
      if (first === undefined) groups.set(id, index);
      else sets.join(index, first);
    }
  };
  const add = (entry: Entry): void => {
    entries.push(entry);
    sets.add();
    tie(entries.length - 1);
  };
  for (const read of reads) {
    // The same table: a namespace not read again (most, in a read).
    if (read.before === null || read.before === read.after) continue;
    for (const change of diffMounts(read.before, read.after)) {
      add({ read, change, newNamespace: false, late: false });
    }
  }
  const found = reads.filter((read) => read.before === null);
  if (found.length === 0) return { entries, sets };
  const known = new Set<number>();
  for (const read of reads) {
    for (const mount of read.before ?? []) {
      groupIds(mount).forEach((id) => known.add(id));
    }
  }
  const fresh = new Set(
    [...byGroup.arriving.keys()].filter((id) => !known.has(id)),
  );
  const copies = new Set<Mount>();
  for (const read of found) {
    if (fresh.size === 0) break;
    for (const mount of read.after) {
      if (!groupIds(mount).some((id) => fresh.has(id))) continue;
      copies.add(mount);
      add({
        read,
        change: { kind: "mount", mount, before: null },
        newNamespace: true,
        late: false,
      });
    }
  }
  for (const read of found) {
    if (read.baseline === undefined) continue;
    for (const mount of lateMounts(read.after, read.baseline)) {
      if (copies.has(mount)) continue;
      add({
        read,
        change: { kind: "mount", mount, before: null },
        newNamespace: true,
        late: true,
      });
    }
  }
  return { entries, sets };
}

/**
 * The events of one read of a watch, in the order of the namespaces and
 * of their changes: each mount or unmount with the copies that came or
 * went with it, each remount, move and propagation change on its own
 * (a move carries the copies it made, when it moved a mount onto a shared
 * one).
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * const a = { ns: 4026531841, pid: 1, comm: "systemd" };
 * const b = { ns: 4026532177, pid: 900, comm: "sh" };
 * const aBefore = parseMountinfo("2 1 0:2 / /mnt rw shared:7 - tmpfs t rw\n");
 * const bBefore = parseMountinfo("3 3 0:2 / /mnt rw shared:7 - tmpfs t rw\n");
 * const events = watchEvents([
 *   { namespace: a, before: aBefore, after: [...aBefore, ...parseMountinfo("4 2 0:4 / /mnt/x rw shared:9 - tmpfs x rw\n")] },
 *   { namespace: b, before: bBefore, after: [...bBefore, ...parseMountinfo("5 3 0:4 / /mnt/x rw shared:9 - tmpfs x rw\n")] },
 * ]);
 * events[0].copies.map((copy) => copy.namespace.ns); // [4026532177]
 * ```
 */
export function watchEvents(reads: readonly NamespaceRead[]): WatchEvent[] {
  const { entries, sets } = collectEntries(reads);
  const members = new Map<number, Entry[]>();
  entries.forEach((entry, index) => {
    const root = sets.find(index);
    const list = members.get(root);
    if (list) list.push(entry);
    else members.set(root, [entry]);
  });
  const index = new TableIndex();
  const events: WatchEvent[] = [];
  const told = new Set<number>();
  entries.forEach((_, position) => {
    const root = sets.find(position);
    if (told.has(root)) return;
    told.add(root);
    const group = members.get(root)!;
    const origin = originOf(group);
    events.push({
      kind: origin.change.kind,
      origin: place(origin),
      copies: group.filter((entry) => entry !== origin).map((entry) => ({
        ...place(entry),
        via: index.routeOf(entry, origin),
      })),
    });
  });
  return events;
}

/**
 * Whether an event happened at or below one of the paths, anywhere it
 * happened (its origin or a copy, before or after a move); every event
 * does when there are no paths.
 *
 * @example
 * ```ts
 * declare const event: WatchEvent; // a mount at /mnt/x
 * eventAtPaths(event, ["/mnt"]); // true
 * ```
 */
export function eventAtPaths(
  event: WatchEvent,
  paths: readonly string[],
): boolean {
  if (paths.length === 0) return true;
  return [event.origin, ...event.copies].some((spot) =>
    [spot.mount.target, spot.before?.target].some((target) =>
      target !== undefined &&
      paths.some((path) => pathBelow(path, target) !== null)
    )
  );
}

/**
 * Whether a namespace notice concerns the paths: the namespace holds a
 * mount at or below one of them. Every notice does when there are no paths.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * const notice: NamespaceNotice = {
 *   change: "appeared",
 *   namespace: { ns: 4026532177, pid: 900, comm: "sh" },
 *   mounts: parseMountinfo("1 1 8:1 / / rw - ext4 a rw\n"),
 *   copiedFrom: null,
 * };
 * noticeAtPaths(notice, ["/srv/demo"]); // false: nothing is mounted there
 * ```
 */
export function noticeAtPaths(
  notice: NamespaceNotice,
  paths: readonly string[],
): boolean {
  if (paths.length === 0) return true;
  return notice.mounts.some((mount) =>
    paths.some((path) => pathBelow(path, mount.target) !== null)
  );
}
