import assert from "node:assert/strict";
import { expectCode, mntns, rootTest } from "./helpers.ts";

const HELPS = [
  [],
  ["propagation"],
  ["propagation", "show"],
  ["propagation", "set"],
  ["isolate"],
  ["run"],
];

for (const words of HELPS) {
  Deno.test(`'${["mntns", ...words].join(" ")} --help' prints help on stdout, exit 0`, async () => {
    const outcome = expectCode(await mntns([...words, "--help"]), 0);
    assert.match(outcome.stdout, /^Usage: mntns/);
    assert.equal(outcome.stderr, "");
  });
  Deno.test(`'${["mntns", ...words].join(" ")} --bogus' is a usage error: exit 2, two lines on stderr`, async () => {
    const outcome = expectCode(await mntns([...words, "--bogus"]), 2);
    assert.equal(outcome.stdout, "");
    const lines = outcome.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 2, outcome.stderr);
    assert.equal(lines[0], "mntns: unrecognized option '--bogus'");
    assert.equal(
      lines[1],
      `Try 'mntns${words.length ? " " : ""}${
        words.join(" ")
      } --help' for more information.`,
    );
  });
}

Deno.test("--version prints the version", async () => {
  const outcome = expectCode(await mntns(["--version"]), 0);
  assert.match(outcome.stdout, /^mntns \d+\.\d+\.\d+\n$/);
});

Deno.test("usage errors: exit 2, one problem line and a hint", async () => {
  const cases: [string[], string][] = [
    [[], "mntns: missing command"],
    [["frobnicate"], "mntns: unknown command 'frobnicate'"],
    [["propagation"], "mntns: missing command (show or set)"],
    [["propagation", "frob"], "mntns: unknown command 'frob'"],
    [["propagation", "set", "private"], "mntns: expected MODE and PATH"],
    [
      ["propagation", "set", "bogus", "/"],
      "mntns: unknown mode 'bogus' (one of: private, shared, slave, unbindable)",
    ],
    [
      ["propagation", "show", "--pid", "x1"],
      "mntns: --pid takes a positive integer, not 'x1'",
    ],
    [
      ["propagation", "show", "--pid", "1", "--mountinfo", "/x"],
      "mntns: --pid and --mountinfo exclude each other",
    ],
    [
      ["propagation", "show", "--pid"],
      "mntns: option '--pid <value>' argument missing",
    ],
  ];
  for (const [args, first] of cases) {
    const outcome = expectCode(await mntns(args), 2);
    const lines = outcome.stderr.trimEnd().split("\n");
    assert.equal(lines[0], first, `mntns ${args.join(" ")}`);
    assert.match(lines[1], /^Try 'mntns.* --help' for more information\.$/);
    assert.equal(lines.length, 2);
  }
});

rootTest("runtime errors: exit 1 with one line naming the path", async () => {
  const bad = Deno.makeTempFileSync();
  Deno.writeTextFileSync(
    bad,
    "1 0 0:1 / / rw - ext4 /dev/vda rw\nnot mountinfo\n",
  );
  const cases: [string[], RegExp][] = [
    [
      ["propagation", "set", "private", "/nonexistent/x"],
      /^mntns: \/nonexistent\/x: no such file or directory$/,
    ],
    [
      ["propagation", "set", "private", "/usr"],
      /^mntns: \/usr: not a mount point — /,
    ],
    [
      ["propagation", "set", "private", "/dev/null"],
      /^mntns: \/dev\/null: not a directory or file/,
    ],
    [
      ["propagation", "show", "--pid", "999999999"],
      /^mntns: \/proc\/999999999\/mountinfo: no process with pid 999999999$/,
    ],
    [
      ["propagation", "show", "--mountinfo", "/nonexistent"],
      /^mntns: \/nonexistent: no such file$/,
    ],
    [
      ["propagation", "show", "--mountinfo", bad],
      new RegExp(`^mntns: ${bad}: line 2: `),
    ],
    [
      ["propagation", "show", "/nonexistent"],
      /^mntns: \/nonexistent: no such file or directory$/,
    ],
  ];
  try {
    for (const [args, message] of cases) {
      const outcome = expectCode(await mntns(args), 1);
      assert.equal(outcome.stdout, "");
      assert.match(
        outcome.stderr.trimEnd(),
        message,
        `mntns ${args.join(" ")}`,
      );
      assert.equal(outcome.stderr.trimEnd().split("\n").length, 1);
    }
  } finally {
    Deno.removeSync(bad);
  }
});
