/**
 * `propagation peers` and `propagation check`, inside throw-away
 * namespaces; check's pivot_root warnings against pivot_root itself.
 */
import assert from "node:assert/strict";
import type {
  GroupJson,
  GroupMountJson,
} from "../lib/cli/propagation_peers.ts";
import type { Hazard } from "../lib/mount/hazards.ts";
import { MNTNS_SHELL_WORDS } from "./under_test.ts";
import { expectCode, mntns } from "./processes.ts";
import {
  inScratchNamespace,
  NAMESPACE_FUNCTIONS,
  rootTest,
} from "./namespaces.ts";

rootTest(
  "peers joins a group's members and slaves across namespaces",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`${NAMESPACE_FUNCTIONS}
      cd "$T"; mkdir x y; mount -t tmpfs hx x; mount --make-shared x
      mount --bind x y; mount --make-slave y
      newns p1 0 unchanged
      echo "$T $(readlink /proc/$$/ns/mnt) $(readlink /proc/$p1/ns/mnt) $p1"
      echo '==='; mntns propagation peers --all-namespaces --json
      echo '==='; mntns propagation peers --all-namespaces
      echo '==='; mntns propagation peers`),
      0,
    );
    const [header, json, table, own] = outcome.stdout.split("===\n");
    const [t, selfLink, otherLink, otherPid] = header.trim().split(" ");
    const inode = (link: string): number => Number(/\d+/.exec(link)![0]);
    const [self, other] = [inode(selfLink), inode(otherLink)];
    const parsed: {
      namespaces: { ns: number; pid: number; comm: string }[];
      groups: GroupJson[];
    } = JSON.parse(json);
    assert.deepEqual(parsed.namespaces[0].ns, self);
    assert.ok(
      parsed.namespaces.some((ns) =>
        ns.ns === other && ns.pid === Number(otherPid) && ns.comm === "sleep"
      ),
      json,
    );
    const group = parsed.groups.find((g) =>
      g.members.some((m) => m.target === `${t}/x`)
    )!;
    const where = (mounts: GroupMountJson[]): string[] =>
      mounts.map((m) => `${m.ns} ${m.target.slice(t.length)}`).sort();
    assert.deepEqual(
      where(group.members),
      [`${self} /x`, `${other} /x`].sort(),
    );
    assert.deepEqual(where(group.slaves), [`${self} /y`, `${other} /y`].sort());
    assert.ok(group.slaves.every((m) => m.master === group.id));
    assert.match(
      table,
      new RegExp(`^GROUP +ROLE +NS +PID +MOUNT +TARGET +ROOT\n`),
    );
    assert.match(
      table,
      new RegExp(
        `\n *${group.id} +slave +${other} +${otherPid} +\\d+ +${t}/y +/\n`,
      ),
    );
    assert.match(
      table,
      new RegExp(`\nnamespace ${other}: pid ${otherPid} \\(sleep\\)\n`),
    );
    assert.doesNotMatch(own, new RegExp(`${other}`));
    assert.match(own, new RegExp(`\n *${group.id} +peer +${self} `));
  },
);

rootTest(
  "peers and reach name a process that outlives mntns in its own namespace, never mntns",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`
      echo "$$ $(readlink /proc/$$/ns/mnt)"; echo '==='
      mntns propagation peers --json; echo '==='
      mntns propagation peers; echo '==='
      mntns propagation reach --json "$T"; echo '==='
      mntns propagation check --json; echo '==='
      mntns propagation peers --json --all-namespaces`),
      0,
    );
    const [header, peersJson, peersTable, reachJson, checkJson, allJson] =
      outcome.stdout.split("===\n");
    const [shell, link] = header.trim().split(" ");
    const ns = Number(/\d+/.exec(link)![0]);
    const expected = { ns, pid: Number(shell), comm: "bash" };
    assert.deepEqual(JSON.parse(peersJson).namespaces, [expected]);
    assert.match(
      peersTable,
      new RegExp(`\nnamespace ${ns}: pid ${shell} \\(bash\\)\n$`),
    );
    const reach = JSON.parse(reachJson);
    assert.deepEqual(
      reach.reaches.map((place: { pid: number }) => place.pid),
      [Number(shell)],
    );
    assert.deepEqual(JSON.parse(checkJson).hazards, []);
    assert.deepEqual(JSON.parse(allJson).namespaces[0], expected);
  },
);

rootTest(
  "peers and reach say so when mntns is alone in its namespace",
  async () => {
    const alone = `unshare -m --propagation unchanged ${MNTNS_SHELL_WORDS}`;
    const outcome = expectCode(
      await inScratchNamespace(`
      mount --make-shared "$T"
      ${alone} propagation peers --json; echo '==='
      ${alone} propagation peers; echo '==='
      ${alone} propagation reach --json "$T"; echo '==='
      ${alone} propagation reach "$T"`),
      0,
    );
    const [peersJson, peersTable, reachJson, reachTable] = outcome.stdout
      .split("===\n");
    const [namespace] = JSON.parse(peersJson).namespaces;
    assert.equal(namespace.pid, null);
    assert.equal(namespace.comm, null);
    const group: GroupJson = JSON.parse(peersJson).groups[0];
    assert.equal(group.members[0].pid, null);
    assert.match(
      peersTable,
      new RegExp(
        `\nnamespace \\d+: no process but mntns — it ends when mntns exits\n$`,
      ),
    );
    assert.match(
      peersTable,
      new RegExp(`\n *${group.id} +peer +\\d+ +- +\\d+ `),
    );
    assert.equal(JSON.parse(reachJson).reaches[0].pid, null);
    assert.match(reachTable, new RegExp(`\n\\d+ +- +\\d+ +/`));
  },
);

/** Runs check in a scratch namespace after a setup; its JSON and exit. */
async function check(
  setup: string,
  args = "",
): Promise<{ code: number; hazards: Hazard[]; t: string; pivot: string }> {
  const outcome = expectCode(
    await inScratchNamespace(`cd "$T"; ${setup}
    echo "$T"; echo '==='
    mntns propagation check --json ${args} || echo "exit $?"`),
    0,
  );
  const [t, rest] = outcome.stdout.split("===\n");
  const [json, exit] = rest.split("\n");
  return {
    code: exit === "" ? 0 : Number(exit.replace("exit ", "")),
    hazards: JSON.parse(json).hazards,
    t: t.trim(),
    pivot: outcome.stderr,
  };
}

/** pivot_root into $T/root in a child namespace: OK or FAIL. */
const PIVOT =
  `unshare -m --propagation unchanged sh -c 'cd "$1" && pivot_root . .' _ "$T/root" 2>/dev/null && echo PIVOT-OK >&2 || echo PIVOT-FAIL >&2`;

rootTest("check: a clean namespace passes, exit 0", async () => {
  const clean = await check(
    `mkdir root; mount -t tmpfs r root; ${PIVOT}`,
    '"$T/root"',
  );
  assert.deepEqual(clean.hazards, []);
  assert.equal(clean.code, 0);
  assert.match(clean.pivot, /PIVOT-OK/);
  const text = expectCode(
    await inScratchNamespace("mntns propagation check"),
    0,
  );
  assert.equal(text.stdout, "no propagation hazards\n");
});

rootTest("check: / shared warns, exit 1", async () => {
  const shared = await check("mount --make-shared /");
  assert.equal(shared.code, 1);
  assert.deepEqual(shared.hazards.map((h) => [h.kind, h.target]), [[
    "shared-root",
    "/",
  ]]);
  assert.match(shared.hazards[0].message, /leaks its mounts into this one/);
});

rootTest(
  "check: a rootfs with a shared parent, or shared itself, cannot be pivoted to",
  async () => {
    const parent = await check(
      `mkdir root; mount -t tmpfs r root; mount --make-shared "$T"; ${PIVOT}`,
      '"$T/root"',
    );
    assert.equal(parent.code, 1);
    assert.match(parent.pivot, /PIVOT-FAIL/);
    assert.deepEqual(parent.hazards.map((h) => h.kind), ["pivot-root"]);
    assert.match(
      parent.hazards[0].message,
      new RegExp(`its parent mount ${parent.t} is shared`),
    );
    const itself = await check(
      `mkdir root; mount -t tmpfs r root; mount --make-shared root; ${PIVOT}`,
      '"$T/root"',
    );
    assert.match(itself.pivot, /PIVOT-FAIL/);
    assert.deepEqual(itself.hazards.map((h) => h.kind), ["pivot-root"]);
    const notMount = await check("mkdir root", '"$T/root"');
    assert.match(notMount.hazards[0].message, /is not a mount point/);
  },
);

rootTest(
  "check: a slave whose master no process's namespace shows",
  async () => {
    const orphan = await check(
      `mkdir a; mount -t tmpfs ta a; mount --make-shared a
    unshare -m --propagation unchanged sleep 1000 & held=$!
    while [ "$(readlink /proc/$held/ns/mnt)" = "$(readlink /proc/self/ns/mnt)" ]; do sleep 0.005; done
    exec 9</proc/$held/ns/mnt; kill $held; wait $held || true
    mount --make-slave a`,
    );
    assert.equal(orphan.code, 1);
    assert.deepEqual(orphan.hazards.map((h) => [h.kind, h.target]), [[
      "orphan-slave",
      `${orphan.t}/a`,
    ]]);
    const alive = await check(`${NAMESPACE_FUNCTIONS}
    mkdir a; mount -t tmpfs ta a; mount --make-shared a
    newns p1 0 unchanged; mount --make-slave a`);
    assert.deepEqual(alive.hazards, []);
  },
);

for (const command of ["peers", "check"]) {
  Deno.test(`${command}: usage contract`, async () => {
    const help = expectCode(
      await mntns(["propagation", command, "--help"]),
      0,
    );
    assert.match(
      help.stdout,
      new RegExp(`^Usage: mntns propagation ${command}`),
    );
    assert.equal(help.stderr, "");
    const bogus = expectCode(
      await mntns(["propagation", command, "--bogus"]),
      2,
    );
    assert.equal(bogus.stdout, "");
    assert.deepEqual(bogus.stderr.trimEnd().split("\n"), [
      "mntns: unrecognized option '--bogus'",
      `Try 'mntns propagation ${command} --help' for more information.`,
    ]);
  });
}

rootTest(
  "--all-namespaces skips processes that exit while it reads",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`
      churn() { while :; do unshare -m true; unshare -m sleep 0.001 & done; }
      churn & churn &
      for i in $(seq 30); do
        mntns propagation peers --all-namespaces > /dev/null || echo "peers failed: $?"
        mntns propagation reach --all-namespaces --json "$T" > /dev/null || echo "reach failed: $?"
      done`),
      0,
    );
    assert.equal(outcome.stdout, "");
  },
);
