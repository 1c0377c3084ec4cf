/**
 * Deciding privilege without root: capability names and changes in order,
 * the user database of a new root, and what a request drops.
 */
import assert from "node:assert/strict";
import {
  CAPABILITY_NAMES,
  capabilityName,
  keptCapabilities,
  parseCapabilityChange,
} from "../lib/plan/capabilities.ts";
import { CommandError, UsageError } from "../lib/errors.ts";
import {
  decidePrivileges,
  describePrivileges,
  NO_PRIVILEGE_CHANGE,
} from "../lib/plan/privileges.ts";
import {
  parseGroup,
  parsePasswd,
  resolveUser,
} from "../lib/plan/user_database.ts";

const ALL = CAPABILITY_NAMES.map((_, number) => number);

Deno.test("capabilities: 41 names, as <linux/capability.h> numbers them", () => {
  assert.equal(CAPABILITY_NAMES.length, 41);
  assert.equal(capabilityName(0), "CAP_CHOWN");
  assert.equal(capabilityName(10), "CAP_NET_BIND_SERVICE");
  assert.equal(capabilityName(21), "CAP_SYS_ADMIN");
  assert.equal(capabilityName(40), "CAP_CHECKPOINT_RESTORE");
  assert.equal(capabilityName(41), "CAP_41");
});

Deno.test("capabilities: ALL, names with or without CAP_, any case, comma-separated", () => {
  assert.deepEqual(parseCapabilityChange("drop", "all", "mntns run"), {
    change: "drop",
    capabilities: "all",
  });
  assert.deepEqual(
    parseCapabilityChange("add", "net_bind_service,CAP_SYS_ADMIN,Kill", "x"),
    { change: "add", capabilities: [10, 21, 5] },
  );
  assert.throws(
    () => parseCapabilityChange("drop", "CAP_NOPE", "mntns run"),
    UsageError,
  );
});

Deno.test("capabilities: changes apply in order to the starting set", () => {
  const drop = (capabilities: "all" | number[]) => ({
    change: "drop" as const,
    capabilities,
  });
  const add = (capabilities: "all" | number[]) => ({
    change: "add" as const,
    capabilities,
  });
  assert.deepEqual(
    keptCapabilities({
      start: ALL,
      available: ALL,
      changes: [drop("all"), add([10])],
    }),
    [10],
  );
  assert.deepEqual(
    keptCapabilities({
      start: ALL,
      available: ALL,
      changes: [add([10]), drop("all")],
    }),
    [],
  );
  assert.deepEqual(
    keptCapabilities({ start: [], available: ALL, changes: [add([21, 0])] }),
    [0, 21],
  );
  assert.deepEqual(
    keptCapabilities({ start: ALL, available: ALL, changes: [drop([21])] }),
    ALL.filter((number) => number !== 21),
  );
  // what this process does not hold cannot be given
  assert.throws(
    () =>
      keptCapabilities({ start: [], available: [0, 1], changes: [add([24])] }),
    (error: unknown) => {
      assert.ok(error instanceof CommandError);
      assert.equal(
        error.message,
        "--cap-add CAP_SYS_RESOURCE: mntns does not hold it (it is not in its permitted set), so it cannot give it — leave it out",
      );
      return true;
    },
  );
});

const PASSWD = `root:x:0:0:root:/root:/bin/bash
# a comment
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
alice:x:1000:1000::/home/alice:/bin/sh
broken line
bad:x:notanumber:1::/:/bin/sh
`;
const GROUP = `root:x:0:
audio:x:29:pulse,alice
video:x:44:alice
nogroup:x:65534:
alice:x:1000:
`;

Deno.test("user database: passwd and group entries; malformed lines skipped", () => {
  assert.deepEqual(parsePasswd(PASSWD), [
    { name: "root", uid: 0, gid: 0 },
    { name: "nobody", uid: 65534, gid: 65534 },
    { name: "alice", uid: 1000, gid: 1000 },
  ]);
  assert.deepEqual(parseGroup(GROUP)[1], {
    name: "audio",
    gid: 29,
    members: ["pulse", "alice"],
  });
});

Deno.test("user database: --user USER[:GROUP] by name or number", () => {
  const files = { passwd: PASSWD, group: GROUP };
  assert.deepEqual(resolveUser("alice", files), {
    uid: 1000,
    gid: 1000,
    groups: [1000, 29, 44],
  });
  assert.deepEqual(resolveUser("1000", files), {
    uid: 1000,
    gid: 1000,
    groups: [1000, 29, 44],
  });
  assert.deepEqual(resolveUser("alice:nogroup", files), {
    uid: 1000,
    gid: 65534,
    groups: [65534],
  });
  assert.deepEqual(resolveUser("65534:65534", files), {
    uid: 65534,
    gid: 65534,
    groups: [65534],
  });
  // a number not in /etc/passwd: its own number as the group, never root's
  assert.deepEqual(resolveUser("4242", { passwd: null, group: null }), {
    uid: 4242,
    gid: 4242,
    groups: [4242],
  });
  const refused: [string, string][] = [
    [
      "bob",
      "--user bob: no user 'bob' in /etc/passwd of the new root — give a number (--user UID[:GID]) or add the user there",
    ],
    [
      "alice:staff",
      "--user alice:staff: no group 'staff' in /etc/group of the new root — give a number (--user UID:GID) or add the group there",
    ],
  ];
  for (const [spec, message] of refused) {
    assert.throws(() => resolveUser(spec, files), (error: unknown) => {
      assert.ok(error instanceof CommandError);
      assert.equal(error.message, message);
      return true;
    });
  }
  assert.throws(
    () => resolveUser("bob", { passwd: null, group: null }),
    /no user 'bob' in \/etc\/passwd \(there is no \/etc\/passwd\) of the new root/,
  );
});

Deno.test("privileges: root starts from every held capability, another user from none; bounding only with cap options", () => {
  const nobody = { uid: 65534, gid: 65534, groups: [65534] };
  const root = { uid: 0, gid: 0, groups: [0] };
  const request = (
    user: string | null,
    capabilities: ReturnType<typeof parseCapabilityChange>[],
  ) => ({ ...NO_PRIVILEGE_CHANGE, user, capabilities });
  assert.deepEqual(
    decidePrivileges({
      request: NO_PRIVILEGE_CHANGE,
      credentials: null,
      held: ALL,
    }),
    { credentials: null, kept: null, bounding: false },
  );
  assert.deepEqual(
    decidePrivileges({
      request: request("nobody", []),
      credentials: nobody,
      held: ALL,
    }),
    { credentials: nobody, kept: [], bounding: false },
  );
  assert.deepEqual(
    decidePrivileges({
      request: request("0", []),
      credentials: root,
      held: ALL,
    }),
    { credentials: root, kept: ALL, bounding: false },
  );
  const dropAllAddOne = [
    parseCapabilityChange("drop", "ALL", "x"),
    parseCapabilityChange("add", "CAP_NET_BIND_SERVICE", "x"),
  ];
  for (const credentials of [nobody, root, null]) {
    assert.deepEqual(
      decidePrivileges({
        request: request(credentials === null ? null : "u", dropAllAddOne),
        credentials,
        held: ALL,
      }),
      { credentials, kept: [10], bounding: true },
    );
  }
  assert.deepEqual(
    decidePrivileges({
      request: request("nobody", [parseCapabilityChange("add", "kill", "x")]),
      credentials: nobody,
      held: ALL,
    }),
    { credentials: nobody, kept: [5], bounding: true },
  );
});

Deno.test("privileges: --dry-run lines in the order they are made", () => {
  assert.deepEqual(describePrivileges(NO_PRIVILEGE_CHANGE), []);
  assert.deepEqual(
    describePrivileges({
      user: "nobody",
      capabilities: [
        parseCapabilityChange("drop", "ALL", "x"),
        parseCapabilityChange("add", "net_bind_service", "x"),
      ],
      noNewPrivs: true,
      newSession: true,
    }),
    [
      "setsid       a new session, no controlling terminal",
      "no_new_privs on (setuid and file capabilities grant nothing)",
      "user         nobody (looked up in /etc/passwd and /etc/group of the new root): setgroups, setresgid, setresuid",
      "capabilities drop ALL, add CAP_NET_BIND_SERVICE (from every capability for root, none for another user; bounding, effective, permitted, inheritable and ambient sets)",
    ],
  );
});
