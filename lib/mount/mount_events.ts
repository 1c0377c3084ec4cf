/**
 * What changed between two reads of one mount table: the mounts that came
 * (`mount`), went (`umount`), changed their mount point (`move`), their
 * options (`remount`) or only their propagation (`propagation`). Pure: the
 * tables are given.
 *
 * Mounts are matched by mount id. The kernel reuses an id after an unmount,
 * so an id that now names another filesystem (device, root, type or source
 * differ) is an `umount` of the old mount and a `mount` of the new one.
 *
 * @module
 */

import type { Mount } from "./mountinfo.ts";

/** The kinds of change, as `findmnt --poll` names them, and `propagation`. */
export type MountEventKind =
  | "mount"
  | "umount"
  | "remount"
  | "move"
  | "propagation";

/** One mount's change between two reads. */
export interface MountChange {
  /** What happened; a mount that changed in several ways is named for the first of move, remount, propagation. */
  kind: MountEventKind;
  /** The mount now; for `umount`, as it was. */
  mount: Mount;
  /** For `move`, `remount` and `propagation`, the mount as it was; else null. */
  before: Mount | null;
}

function sameFilesystem(a: Mount, b: Mount): boolean {
  return a.major === b.major && a.minor === b.minor && a.root === b.root &&
    a.fstype === b.fstype && a.source === b.source;
}

/**
 * How a mount that kept its id and filesystem changed, or null when it did
 * not: its mount point (`move`), its options or its filesystem's
 * (`remount`), its peer group, master or unbindable flag (`propagation`).
 */
function changeKind(before: Mount, after: Mount): MountEventKind | null {
  if (before.target !== after.target || before.parent !== after.parent) {
    return "move";
  }
  if (
    before.options !== after.options ||
    before.superOptions !== after.superOptions
  ) {
    return "remount";
  }
  if (
    before.peer !== after.peer || before.master !== after.master ||
    before.unbindable !== after.unbindable
  ) {
    return "propagation";
  }
  return null;
}

/**
 * The length of the run of mounts both lists begin with (`end`: end with),
 * the same objects in the same places; at most `limit`.
 */
function commonRun(
  before: readonly Mount[],
  after: readonly Mount[],
  options: { end: boolean; limit: number },
): number {
  const last = { before: before.length - 1, after: after.length - 1 };
  let count = 0;
  while (
    count < options.limit &&
    (options.end
      ? before[last.before - count] === after[last.after - count]
      : before[count] === after[count])
  ) count++;
  return count;
}

/**
 * The changes from one read of a mount table to the next: unmounts first,
 * deepest (last listed) first, then every other change in the order of the
 * new table. A mount that is the same object in both reads is unchanged
 * without a look at its fields: the runs both reads begin and end with are
 * skipped, so a change in a table of 20,000 mounts costs a comparison a
 * mount.
 *
 * @example
 * ```ts
 * import { parseMountinfo } from "./mount_table.ts";
 * const before = parseMountinfo("1 1 8:1 / / rw - ext4 a rw\n2 1 0:2 / /mnt/old rw - tmpfs t rw\n");
 * const after = [before[0], ...parseMountinfo("3 1 0:3 / /mnt/new rw - tmpfs u rw\n")];
 * diffMounts(before, after).map((change) => `${change.kind} ${change.mount.target}`);
 * // ["umount /mnt/old", "mount /mnt/new"]
 * ```
 */
export function diffMounts(
  before: readonly Mount[],
  after: readonly Mount[],
): MountChange[] {
  const shorter = Math.min(before.length, after.length);
  const head = commonRun(before, after, { end: false, limit: shorter });
  const tail = commonRun(before, after, {
    end: true,
    limit: shorter - head,
  });
  const old = before.slice(head, before.length - tail);
  const now = after.slice(head, after.length - tail);
  const previous = new Map(old.map((mount) => [mount.id, mount]));
  const kept = new Set<Mount>();
  const later: MountChange[] = [];
  for (const mount of now) {
    const was = previous.get(mount.id);
    if (was === mount) {
      kept.add(was);
      continue;
    }
    if (was === undefined || !sameFilesystem(was, mount)) {
      later.push({ kind: "mount", mount, before: null });
      continue;
    }
    kept.add(was);
    const kind = changeKind(was, mount);
    if (kind !== null) later.push({ kind, mount, before: was });
  }
  const gone: MountChange[] = [];
  for (let index = old.length - 1; index >= 0; index--) {
    const mount = old[index];
    if (!kept.has(mount)) gone.push({ kind: "umount", mount, before: null });
  }
  return [...gone, ...later];
}
