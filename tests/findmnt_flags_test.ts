/**
 * `propagation show`'s findmnt-style flags against findmnt itself, on the
 * same mounts (a throw-away namespace with peers, slaves, shared+slave,
 * unbindable, proc, and names that need escaping): `-r`, `-n`, `-o`, `-l`,
 * `-J`, `-t`, `-T` and `-N` print what findmnt prints.
 */
import assert from "node:assert/strict";
import { expectCode } from "./processes.ts";
import {
  inScratchNamespace,
  NAMESPACE_FUNCTIONS,
  rootTest,
} from "./namespaces.ts";

/** Every kind of propagation, a proc mount, and names raw mode escapes. */
const TOPOLOGY = String.raw`cd "$T"
mkdir sh peer sl ss unb pr "sp é" 'a\b' 'a\xb' "$(printf 't\tb')"
mount -t tmpfs s1 sh; mount --make-shared sh; mkdir sh/d
mount --bind sh/d peer
mount --bind sh sl; mount --make-slave sl
mount --bind sh ss; mount --make-slave ss; mount --make-shared ss
mount -t tmpfs u unb; mount --make-unbindable unb
mount -t proc proc pr
mount -t tmpfs 's rc' "sp é"; mount -t tmpfs x 'a\b'; mount -t tmpfs y 'a\xb'
mount -t tmpfs z "$(printf 't\tb')"
newns other 0 private
section() { echo "@@$1"; shift; "$@" 2>&1 || echo "exit $?"; }
`;

/** Runs the topology, then each `section NAME CMD...`; output by name. */
async function sections(script: string): Promise<Map<string, string>> {
  const outcome = expectCode(
    await inScratchNamespace(NAMESPACE_FUNCTIONS + TOPOLOGY + script),
    0,
  );
  const found = new Map<string, string>();
  for (const part of outcome.stdout.split(/^@@/m).slice(1)) {
    const newline = part.indexOf("\n");
    found.set(part.slice(0, newline), part.slice(newline + 1));
  }
  return found;
}

function section(found: Map<string, string>, name: string): string {
  const text = found.get(name);
  assert.ok(text !== undefined, `no section ${name}`);
  return text;
}

rootTest(
  "show -r -n -o TARGET,PROPAGATION is findmnt's, propagation words included",
  async () => {
    const found = await sections(`
section findmnt findmnt -r -n -o TARGET,PROPAGATION
section mntns mntns propagation show -r -n -o TARGET,PROPAGATION`);
    const findmnt = section(found, "findmnt");
    assert.equal(section(found, "mntns"), findmnt);
    for (
      const name of [
        "sl private,slave",
        "ss shared,slave",
        "unb private,unbindable",
      ]
    ) {
      assert.ok(findmnt.split("\n").some((line) => line.endsWith(`/${name}`)));
    }
  },
);

rootTest(
  "show -r prints findmnt's raw columns byte for byte, header included",
  async () => {
    const columns =
      "TARGET,SOURCE,FSTYPE,ID,PARENT,MAJ:MIN,FSROOT,VFS-OPTIONS,FS-OPTIONS,OPT-FIELDS";
    const found = await sections(`
section findmnt findmnt -r -o ${columns}
section mntns mntns propagation show -r -o ${columns}`);
    const findmnt = section(found, "findmnt");
    assert.equal(section(found, "mntns"), findmnt);
    for (
      const escaped of [
        String.raw`/sp\x20\xc3\xa9 s\x20rc`,
        String.raw`/a\x5cb x`,
        String.raw`/a\x5cxb y`,
        String.raw`/t\x09b z`,
        String.raw`s1[/d]`,
      ]
    ) {
      assert.ok(findmnt.includes(escaped), escaped);
    }
  },
);

rootTest(
  "show -l and -n: findmnt's list, numbers right-aligned, no header with -n",
  async () => {
    const columns = "TARGET,ID,PARENT,FSROOT";
    const found = await sections(`
section findmnt env LC_ALL=C.UTF-8 findmnt -l -o ${columns}
section mntns mntns propagation show -l -o ${columns}
section findmnt-n env LC_ALL=C.UTF-8 findmnt -l -n -o ${columns}
section mntns-n mntns propagation show -l -n -o ${columns}`);
    const findmnt = section(found, "findmnt");
    // mntns names the peer groups under the table; findmnt has no such lines.
    const table = section(found, "mntns").replace(/^peer group .*\n/gm, "");
    assert.equal(table, findmnt);
    assert.match(findmnt, /^TARGET +ID PARENT FSROOT\n/);
    assert.equal(section(found, "mntns-n"), section(found, "findmnt-n"));
    assert.equal(section(found, "findmnt-n"), findmnt.replace(/^.*\n/, ""));
  },
);

rootTest(
  "show -t selects the types findmnt's -t selects, with 'no' and case",
  async () => {
    const lists = [
      "tmpfs",
      "notmpfs,proc",
      "tmpfs,noproc",
      "TMPFS,proc",
      "noproc",
    ];
    const found = await sections(
      lists.map((list) => `
section findmnt-${list} findmnt -r -n -o TARGET -t ${list}
section mntns-${list} mntns propagation show -r -n -o TARGET -t ${list}`).join(
        "",
      ),
    );
    for (const list of lists) {
      const findmnt = section(found, `findmnt-${list}`);
      assert.equal(section(found, `mntns-${list}`), findmnt, list);
      assert.notEqual(findmnt, "", list);
    }
  },
);

rootTest(
  "show -T PATH is findmnt -T PATH; -N PID reads that process's namespace as findmnt -N",
  async () => {
    const found = await sections(`
section findmnt-T findmnt -r -n -o TARGET,ID -T "$T/sh/d"
section mntns-T mntns propagation show -r -n -o TARGET,ID -T "$T/sh/d"
section findmnt-path findmnt -r -n -o TARGET,ID "$T/sh/d"
section mntns-path mntns propagation show -r -n -o TARGET,ID "$T/sh/d"
section findmnt-T2 findmnt -r -n -o TARGET,ID -T "$T/pr/self"
section mntns-T2 mntns propagation show -r -n -o TARGET,ID --target "$T/pr/self"
nsenter -t $other -m mount -t tmpfs only-there "$T/sh/d"
section findmnt-N findmnt -r -n -o TARGET,ID,SOURCE -N $other
section mntns-N mntns propagation show -r -n -o TARGET,ID,SOURCE -N $other
section mntns-task mntns propagation show -r -n -o TARGET,ID,SOURCE --task $other
section mntns-self mntns propagation show -r -n -o TARGET,ID,SOURCE`);
    assert.equal(section(found, "mntns-T"), section(found, "findmnt-T"));
    // A PATH that is not a mount point: nothing, exit 1, as findmnt.
    assert.equal(section(found, "findmnt-path"), "exit 1\n");
    assert.equal(section(found, "mntns-path"), section(found, "findmnt-path"));
    assert.equal(section(found, "mntns-T2"), section(found, "findmnt-T2"));
    assert.match(section(found, "findmnt-N"), /\/sh\/d \d+ only-there\n/);
    assert.doesNotMatch(section(found, "mntns-self"), /only-there/);
    assert.equal(section(found, "mntns-N"), section(found, "findmnt-N"));
    assert.equal(section(found, "mntns-task"), section(found, "findmnt-N"));
  },
);

rootTest("show -J and -J -l are findmnt's, parsed and as bytes", async () => {
  const columns = "TARGET,ID,PARENT,FSTYPE,OPT-FIELDS";
  const found = await sections(`
section findmnt findmnt -J -o ${columns}
section mntns mntns propagation show -J -o ${columns}
section findmnt-l findmnt -J -l -o ${columns}
section mntns-l mntns propagation show -J -l -o ${columns}`);
  for (const suffix of ["", "-l"]) {
    const findmnt = section(found, `findmnt${suffix}`);
    const ours = section(found, `mntns${suffix}`);
    assert.deepEqual(JSON.parse(ours), JSON.parse(findmnt));
    assert.equal(ours, findmnt);
  }
  assert.match(section(found, "findmnt"), /"children": \[/);
});
