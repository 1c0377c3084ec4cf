/**
 * `propagation show` and `set` against the real thing: findmnt and mount,
 * inside throw-away outer namespaces.
 */
import assert from "node:assert/strict";
import { filesystems, type JsonMount } from "./findmnt_json.ts";
import { expectCode } from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { normalizeMountinfo } from "./mountinfo_compare.ts";

/** A topology with peers, slaves, shared+slave, unbindable, escapes. */
const TOPOLOGY = `
cd "$T"; mkdir a b c d u e
mount -t tmpfs ta a; mount --make-shared a
mount --bind a b
mkdir a/sub; mount -t tmpfs tsub a/sub
mount -t tmpfs tc c; mount --make-shared c
mount --bind c d; mount --make-slave d; mount --make-shared d
mkdir a/slave; mount --bind c a/slave; mount --make-slave a/slave
mount -t tmpfs tu u; mount --make-unbindable u
mount -t tmpfs te e; mkdir "e/with space"; mount -t tmpfs 'sp ace' "e/with space"
`;

/** PEER, MASTER and FROM as the optional fields they come from. */
function optFields(mount: JsonMount, unbindable: boolean): string[] {
  const fields: string[] = [];
  if (mount.peer !== null) fields.push(`shared:${mount.peer}`);
  if (mount.master !== null) fields.push(`master:${mount.master}`);
  if (mount["propagate-from"] !== null) {
    fields.push(`propagate_from:${mount["propagate-from"]}`);
  }
  if (unbindable) fields.push("unbindable");
  return fields.sort();
}

rootTest("show --json agrees with findmnt on every mount", async () => {
  const columns = "ID,TARGET,PROPAGATION,OPT-FIELDS";
  const outcome = expectCode(
    await inScratchNamespace(`${TOPOLOGY}
      findmnt -J -o ${columns}
      echo '==='
      mntns propagation show --json -o ${columns},PEER,MASTER,FROM`),
    0,
  );
  const [findmntText, oursText] = outcome.stdout.split("===\n");
  const findmnt = filesystems(findmntText);
  const ours = filesystems(oursText);
  assert.deepEqual(
    ours.map(({ id, target, propagation, "opt-fields": fields }) => ({
      id,
      target,
      propagation,
      "opt-fields": fields,
    })),
    findmnt,
  );
  const seen = new Set<string>();
  for (const mount of ours) {
    const fields = (mount["opt-fields"] ?? "").split(" ").filter(Boolean);
    assert.deepEqual(
      optFields(mount, mount.propagation.endsWith(",unbindable")),
      fields.sort(),
      mount.target,
    );
    seen.add(mount.propagation);
  }
  assert.deepEqual(
    [...seen].sort(),
    [
      "private",
      "private,slave",
      "private,unbindable",
      "shared",
      "shared,slave",
    ],
  );
});

rootTest("show draws the tree and names peer groups", async () => {
  const outcome = expectCode(
    await inScratchNamespace(`${TOPOLOGY}
      mntns propagation show -T "$T"/a/sub/.. -T "$T/e/with space" -T "$T"/d
      echo '==='
      mntns propagation show
      echo '==='
      mntns propagation show --list
      echo '==='
      echo "$T"`),
    0,
  );
  const [paths, tree, list, scratch] = outcome.stdout.split("===\n");
  const t = scratch.trim();
  const pathRows = paths.trimEnd().split("\n");
  assert.match(
    pathRows[0],
    /^TARGET +SOURCE +FSTYPE +PROPAGATION +PEER +MASTER +FROM$/,
  );
  assert.match(
    pathRows[1],
    new RegExp(`^${t}/a +ta +tmpfs +shared +\\d+ +- +-$`),
  );
  assert.match(
    pathRows[2],
    new RegExp(`^${t}/e/with space +sp ace +tmpfs +private`),
  );
  assert.match(
    pathRows[3],
    new RegExp(`^${t}/d +tc +tmpfs +shared,slave +\\d+ +\\d+ +-$`),
  );
  assert.match(tree, new RegExp(`\\n[│ ]*[├└]─${t} +scratch `));
  assert.match(tree, new RegExp(`\\n[│ ]*[├└]─${t}/a/sub `));
  // Members in the tree's order: mount-id order, which mount-id reuse can
  // turn around.
  const pair = (x: string, y: string): string => `(?:${x}, ${y}|${y}, ${x})`;
  assert.match(
    tree,
    new RegExp(`\\npeer group \\d+: ${pair(`${t}/a`, `${t}/b`)}\\n`),
  );
  assert.match(
    tree,
    new RegExp(
      `\\npeer group \\d+: ${pair(`${t}/a/sub`, `${t}/b/sub`)}\\n`,
    ),
  );
  assert.match(list, new RegExp(`\\n${t}/a/sub `));
  assert.doesNotMatch(list, /[├└│]/);
});

for (const mode of ["private", "shared", "slave", "unbindable"]) {
  for (const recursive of [false, true]) {
    const flag = recursive ? "r" : "";
    rootTest(
      `set ${mode}${
        recursive ? " -r" : ""
      } leaves what mount --make-${flag}${mode} leaves`,
      async () => {
        const dump = `; echo "$T"; echo '==='; cat /proc/self/mountinfo`;
        const reference = expectCode(
          await inScratchNamespace(
            `${TOPOLOGY}\nmount --make-${flag}${mode} "$T/a" ${dump}`,
          ),
          0,
        );
        const ours = expectCode(
          await inScratchNamespace(
            `${TOPOLOGY}\nmntns propagation set ${mode} "$T/a" ${
              recursive ? "-r" : ""
            } > "$T/out" ${dump}; echo '==='; cat "$T/out"`,
          ),
          0,
        );
        const [refPrefix, refInfo] = reference.stdout.split("===\n");
        const [ourPrefix, ourInfo, printed] = ours.stdout.split("===\n");
        assert.deepEqual(
          normalizeMountinfo(ourInfo, { prefix: ourPrefix.trim() }),
          normalizeMountinfo(refInfo, { prefix: refPrefix.trim() }),
        );
        const rows = printed.trimEnd().split("\n");
        assert.match(rows[0], /^TARGET +BEFORE +AFTER$/);
        assert.match(
          rows[1],
          new RegExp(`^${ourPrefix.trim()}/a +shared \\(peer \\d+\\) +${mode}`),
        );
        assert.equal(rows.length, recursive ? 4 : 2, printed);
      },
    );
  }
}

rootTest(
  "the seed experiment: a proc mount travels to peers and across namespaces",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`
      cd "$T"; mkdir x y z
      mount -t tmpfs hx x; mount -t tmpfs hy y
      mount --make-shared x; mount --make-shared y
      unshare -m --propagation unchanged sleep 300 & other=$!
      while [ "$(readlink /proc/$other/ns/mnt)" = "$(readlink /proc/self/ns/mnt)" ]; do sleep 0.01; done
      mount --bind x z
      mkdir z/foo
      mount -t proc proc z/foo
      echo "$T"; echo '==='
      mntns propagation show -T "$T"/x -T "$T"/y -T "$T"/z -T "$T"/x/foo -T "$T"/z/foo; echo '==='
      mntns propagation show --json -o +FSTYPE --pid $other; echo '==='
      mntns propagation show --json -o +FSTYPE
      kill $other`),
      0,
    );
    const [scratch, table, otherJson, selfJson] = outcome.stdout.split("===\n");
    const t = scratch.trim();
    const self = filesystems(selfJson);
    const other = filesystems(otherJson);
    const at = (mounts: JsonMount[], target: string): JsonMount[] =>
      mounts.filter((m) => m.target === `${t}${target}`);
    // In this namespace: the proc mount under /z/foo shows up at /x/foo too.
    assert.equal(at(self, "/z/foo")[0].fstype, "proc");
    assert.equal(at(self, "/x/foo")[0].fstype, "proc");
    assert.equal(at(self, "/x")[0].peer, at(self, "/z")[0].peer);
    assert.equal(at(self, "/x/foo")[0].peer, at(self, "/z/foo")[0].peer);
    // Across the namespace: /x/foo arrived, /z never existed, /y got nothing.
    assert.equal(at(other, "/x/foo")[0].fstype, "proc");
    assert.equal(at(other, "/x/foo")[0].peer, at(self, "/x/foo")[0].peer);
    assert.equal(at(other, "/x")[0].peer, at(self, "/x")[0].peer);
    assert.deepEqual(at(other, "/z"), []);
    assert.equal(at(other, "/y").length, 1);
    assert.ok(!other.some((m) => m.target.startsWith(`${t}/y/`)));
    // show names the peer groups findmnt hides.
    const xPeer = at(self, "/x")[0].peer;
    const fooPeer = at(self, "/x/foo")[0].peer;
    assert.match(
      table,
      new RegExp(
        `\\npeer group ${xPeer}: (?:${t}/x, ${t}/z|${t}/z, ${t}/x)\\n`,
      ),
    );
    assert.match(
      table,
      new RegExp(
        `\\npeer group ${fooPeer}: (?:${t}/x/foo, ${t}/z/foo|${t}/z/foo, ${t}/x/foo)\\n`,
      ),
    );
  },
);
