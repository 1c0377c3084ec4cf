/**
 * `--user USER[:GROUP]` resolved against a root's `/etc/passwd` and
 * `/etc/group` (their text, read by the caller): the uid, gid and
 * supplementary groups a command runs with.
 *
 * @module
 */

import { CommandError } from "../errors.ts";

/** A user, as a `/etc/passwd` line names one. */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

/** A group, as a `/etc/group` line names one. */
export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** Who a command runs as. */
export interface Credentials {
  uid: number;
  gid: number;
  /** Supplementary groups (setgroups(2)); the gid is among them. */
  groups: number[];
}

/** The largest id; 2^32-1 is (uid_t)-1, which means "unchanged". */
const ID_MAX = 0xfffffffe;

function parseId(text: string): number | null {
  if (!/^[0-9]+$/.test(text)) return null;
  const id = Number(text);
  return id <= ID_MAX ? id : null;
}

function fields(text: string): string[][] {
  return text.split("\n").filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => line.split(":"));
}

/**
 * The entries of a `/etc/passwd` text (`name:password:uid:gid:...`); lines
 * that do not have that shape are skipped, as glibc skips them.
 *
 * @example
 * ```ts
 * parsePasswd("nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
 * // [{ name: "nobody", uid: 65534, gid: 65534 }]
 * ```
 */
export function parsePasswd(text: string): PasswdEntry[] {
  return fields(text).flatMap(([name, , uidText, gidText]) => {
    const uid = parseId(uidText ?? "");
    const gid = parseId(gidText ?? "");
    return name && uid !== null && gid !== null ? [{ name, uid, gid }] : [];
  });
}

/**
 * The entries of a `/etc/group` text (`name:password:gid:member,...`);
 * lines that do not have that shape are skipped.
 *
 * @example
 * ```ts
 * parseGroup("audio:x:29:pulse,alice\n"); // [{ name: "audio", gid: 29, members: ["pulse", "alice"] }]
 * ```
 */
export function parseGroup(text: string): GroupEntry[] {
  return fields(text).flatMap(([name, , gidText, members]) => {
    const gid = parseId(gidText ?? "");
    return name && gid !== null
      ? [{ name, gid, members: (members ?? "").split(",").filter(Boolean) }]
      : [];
  });
}

/**
 * Resolves `USER[:GROUP]` (each a number or a name) with a root's user
 * database, given as text (`null`: the file is missing). A name must be
 * there; a number need not. The gid is GROUP's, else the user's entry's,
 * else the uid itself (never 0, root's group, by default). Without GROUP,
 * the supplementary groups are those `/etc/group` lists the user in, as
 * `initgroups(3)` does; with GROUP, only GROUP.
 *
 * @example
 * ```ts
 * resolveUser("nobody", { passwd: "nobody:x:65534:65534::/:/bin/sh\n", group: null });
 * // { uid: 65534, gid: 65534, groups: [65534] }
 * ```
 */
export function resolveUser(
  spec: string,
  files: { passwd: string | null; group: string | null },
): Credentials {
  const [userPart, groupPart] = spec.split(":");
  const users = parsePasswd(files.passwd ?? "");
  const groups = parseGroup(files.group ?? "");
  const uidNumber = parseId(userPart);
  const entry = uidNumber === null
    ? users.find((user) => user.name === userPart)
    : users.find((user) => user.uid === uidNumber);
  if (entry === undefined && uidNumber === null) {
    throw new CommandError(
      `--user ${spec}: no user '${userPart}' in /etc/passwd${
        files.passwd === null ? " (there is no /etc/passwd)" : ""
      } of the new root — give a number (--user UID[:GID]) or add the user there`,
    );
  }
  const uid = uidNumber ?? entry!.uid;
  if (groupPart !== undefined) {
    const gidNumber = parseId(groupPart);
    const group = gidNumber === null
      ? groups.find((item) => item.name === groupPart)
      : undefined;
    if (gidNumber === null && group === undefined) {
      throw new CommandError(
        `--user ${spec}: no group '${groupPart}' in /etc/group${
          files.group === null ? " (there is no /etc/group)" : ""
        } of the new root — give a number (--user UID:GID) or add the group there`,
      );
    }
    const gid = gidNumber ?? group!.gid;
    return { uid, gid, groups: [gid] };
  }
  const gid = entry?.gid ?? uid;
  const supplementary = entry === undefined
    ? []
    : groups.filter((group) => group.members.includes(entry.name)).map((
      group,
    ) => group.gid);
  return { uid, gid, groups: [...new Set([gid, ...supplementary])] };
}
