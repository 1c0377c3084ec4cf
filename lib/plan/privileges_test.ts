import assert from "node:assert/strict";
import { CAPABILITY_NAMES, parseCapabilityChange } from "./capabilities.ts";
import {
  decidePrivileges,
  describePrivileges,
  NO_PRIVILEGE_CHANGE,
} from "./privileges.ts";

const ALL = CAPABILITY_NAMES.map((_, number) => number);

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
