/**
 * Peer groups: the mounts that share a `shared:N` id, and so receive each
 * other's mount events.
 *
 * @module
 */

import type { Mount } from "./mountinfo.ts";

/**
 * Groups mounts by peer group id, in order of first appearance.
 *
 * @example
 * ```ts
 * peerGroups(mounts).get(3)?.map((mount) => mount.target); // ["/x", "/z"]
 * ```
 */
export function peerGroups(mounts: readonly Mount[]): Map<number, Mount[]> {
  const groups = new Map<number, Mount[]>();
  for (const mount of mounts) {
    if (mount.peer === null) continue;
    const members = groups.get(mount.peer);
    if (members) members.push(mount);
    else groups.set(mount.peer, [mount]);
  }
  return groups;
}

/**
 * One line per peer group with more than one member:
 * `peer group 3: /x, /z/foo`. This is what findmnt's PROPAGATION column
 * hides.
 *
 * @example
 * ```ts
 * peerGroupSummary(mounts); // ["peer group 3: /x, /z/foo"]
 * ```
 */
export function peerGroupSummary(mounts: readonly Mount[]): string[] {
  const lines: string[] = [];
  for (const [group, members] of peerGroups(mounts)) {
    if (members.length < 2) continue;
    lines.push(
      `peer group ${group}: ${members.map((mount) => mount.target).join(", ")}`,
    );
  }
  return lines;
}
