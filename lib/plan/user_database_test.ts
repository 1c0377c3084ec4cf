import assert from "node:assert/strict";
import { CommandError } from "../errors.ts";
import { parseGroup, parsePasswd, resolveUser } from "./user_database.ts";

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
