import assert from "node:assert/strict";
import { MNTNS } from "./under_test.ts";
import {
  bash,
  expectCode,
  mntns,
  run,
  shellQuote,
  withMissingPath,
} from "./processes.ts";
import { rootTest } from "./namespaces.ts";

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

Deno.test("help lists every command from the one table; 'mntns help X' is 'mntns X --help'", async () => {
  const top = expectCode(await mntns(["--help"]), 0).stdout;
  for (
    const word of [
      "run",
      "isolate",
      "propagation show",
      "propagation set",
      "propagation peers",
      "propagation reach",
      "propagation check",
    ]
  ) {
    assert.match(top, new RegExp(`^  ${word} `, "m"), word);
  }
  const group = expectCode(await mntns(["propagation", "--help"]), 0).stdout;
  for (const word of ["show", "set", "peers", "reach", "check"]) {
    assert.match(group, new RegExp(`^  ${word}\\b`, "m"), word);
  }
  assert.equal(expectCode(await mntns(["help"]), 0).stdout, top);
  assert.equal(
    expectCode(await mntns(["help", "propagation", "set"]), 0).stdout,
    expectCode(await mntns(["propagation", "set", "--help"]), 0).stdout,
  );
});

Deno.test("--dry-run prints the setup operations in order, without privilege", async () => {
  // With no capability at all, any namespace or mount call would fail.
  const outcome = expectCode(
    await run([
      "setpriv",
      "--bounding-set=-all",
      ...MNTNS,
      "run",
      "--dry-run",
      "--hostname",
      "box",
      "--rootfs",
      "/srv/r",
      "--tmpfs",
      "/tmp",
      "--user",
      "nobody",
      "--cap-drop",
      "ALL",
      "--",
      "sh",
      "-c",
      "echo hi",
    ]),
    0,
  );
  assert.equal(
    outcome.stdout,
    [
      "unshare      pid",
      "unshare      mnt uts ipc net",
      "loopback     lo up",
      "hostname     box",
      "propagation  / private, recursively",
      "rootfs       /srv/r bound onto itself, recursively, nosuid and nodev (its parent mount made private if shared)",
      "dev          /dev (inside /srv/r): tmpfs 0755 with null, zero, full, random, urandom, tty from the host; pts (new devpts); shm (tmpfs 1777); links fd, stdin, stdout, stderr, ptmx",
      "tmpfs        /tmp (inside /srv/r) (nosuid, nodev, mode 1777)",
      "pivot_root   /srv/r becomes /; the old root made private and detached",
      "proc         /proc made private, recursively; fresh proc (nosuid, nodev, noexec)",
      "mask-proc    /proc/acpi, /proc/kcore, /proc/keys, /proc/latency_stats, /proc/timer_list, /proc/timer_stats, /proc/sched_debug, /proc/scsi empty; /proc/bus, /proc/fs, /proc/irq, /proc/sys, /proc/sysrq-trigger read-only (runc's masks; what is missing is skipped)",
      "chdir        /",
      "no_new_privs on (setuid and file capabilities grant nothing)",
      "user         nobody (looked up in /etc/passwd and /etc/group of the new root): setgroups, setresgid, setresuid",
      "capabilities drop ALL (from every capability for root, none for another user; bounding, effective, permitted, inheritable and ambient sets)",
      "exec         sh -c 'echo hi'",
      "",
    ].join("\n"),
  );
  const isolate = expectCode(
    await mntns(["isolate", "--dry-run", "--root", "/srv", "ls"]),
    0,
  );
  assert.equal(
    isolate.stdout,
    "unshare      mnt\npropagation  / private, recursively\nchroot       /srv\nchdir        /\nexec         ls\n",
  );
});

Deno.test("--version prints the version", async () => {
  const outcome = expectCode(await mntns(["--version"]), 0);
  assert.match(outcome.stdout, /^mntns \d+\.\d+\.\d+\n$/);
});

Deno.test("usage errors: exit 2, one problem line and a hint", async () => {
  const cases: [string[], string][] = [
    [["frobnicate"], "mntns: unknown command 'frobnicate'"],
    [
      ["propagation"],
      "mntns: missing command (one of: show, set, peers, reach, check, watch)",
    ],
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
    [
      ["propagation", "show", ""],
      "mntns: PATH is empty: name a file or directory",
    ],
    [
      ["propagation", "show", "/", ""],
      "mntns: PATH is empty: name a file or directory",
    ],
    [
      ["propagation", "reach", ""],
      "mntns: PATH is empty: name a file or directory",
    ],
    [
      ["propagation", "show", "--mountinfo="],
      "mntns: --mountinfo takes a file name, not ''",
    ],
    [
      ["run", "--no-pid", "--init", "true"],
      "mntns: --init needs a PID namespace to be PID 1 of: drop --no-pid",
    ],
    [
      ["run", "--info-fd", "2", "true"],
      "mntns: --info-fd takes a descriptor number above 2, not '2' (0, 1 and 2 stay the command's)",
    ],
    [
      ["enter"],
      "mntns: expected TARGET: a PID, a namespace file or a run's hostname",
    ],
    [
      ["enter", "", "true"],
      "mntns: TARGET is empty: give a PID, a namespace file or a run's hostname",
    ],
    [["enter", "1", "--bogus"], "mntns: unrecognized option '--bogus'"],
    [["ps", "x"], "mntns: unexpected argument 'x'"],
    [
      ["isolate", "--mount=", "true"],
      "mntns: --mount takes a file name, not ''",
    ],
    [
      ["propagation", "peers", "--ns", "/x", "--pid", "1"],
      "mntns: --pid and --ns exclude each other",
    ],
    [["propagation", "show", "--ns="], "mntns: --ns takes a file name, not ''"],
  ];
  for (const [args, first] of cases) {
    const outcome = expectCode(await mntns(args), 2);
    const lines = outcome.stderr.trimEnd().split("\n");
    assert.equal(lines[0], first, `mntns ${args.join(" ")}`);
    assert.match(lines[1], /^Try 'mntns.* --help' for more information\.$/);
    assert.equal(lines.length, 2);
  }
});

rootTest(
  "runtime errors: exit 1 with one line naming the path",
  () =>
    withMissingPath(async (missing) => {
      const shown = RegExp.escape(missing);
      const bad = Deno.makeTempFileSync();
      Deno.writeTextFileSync(
        bad,
        "1 0 0:1 / / rw - ext4 /dev/vda rw\nnot mountinfo\n",
      );
      const cases: [string[], RegExp][] = [
        [
          ["propagation", "set", "private", `${missing}/x`],
          new RegExp(`^mntns: ${shown}/x: no such file or directory$`),
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
          ["propagation", "show", "--mountinfo", missing],
          new RegExp(`^mntns: ${shown}: no such file$`),
        ],
        [
          ["propagation", "show", "--mountinfo", bad],
          new RegExp(`^mntns: ${bad}: line 2: `),
        ],
        [
          ["propagation", "show", "--mountinfo", "/proc/self/mem"],
          /^mntns: \/proc\/self\/mem: cannot be read \(Input\/output error\) — is it a saved mountinfo file\?$/,
        ],
      ];
      // A PATH that is no mount point (here: no file) is findmnt's: silence.
      const quiet = expectCode(
        await mntns(["propagation", "show", missing]),
        1,
      );
      assert.equal(quiet.stdout + quiet.stderr, "");
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
    }),
);

Deno.test("usage errors exit 2 even when stderr is closed or full", async () => {
  const outcome = expectCode(
    await withMissingPath((missing) =>
      bash(
        `
      for redirect in '2>&-' '2>/dev/full'; do
        for words in 'propagation bogus' 'propagation show ""' 'run --no-pid --init true'; do
          code=0; eval "mntns $words $redirect" || code=$?
          echo "$redirect $words: $code"
        done
        code=0; eval "mntns propagation show --mountinfo \\"\\$MISSING\\" $redirect" || code=$?
        echo "$redirect runtime: $code"
      done`,
        { env: { MISSING: missing } },
      )
    ),
    0,
  );
  assert.equal(
    outcome.stdout,
    [
      `2>&- propagation bogus: 2`,
      `2>&- propagation show "": 2`,
      `2>&- run --no-pid --init true: 2`,
      `2>&- runtime: 1`,
      `2>/dev/full propagation bogus: 2`,
      `2>/dev/full propagation show "": 2`,
      `2>/dev/full run --no-pid --init true: 2`,
      `2>/dev/full runtime: 1`,
      ``,
    ].join("\n"),
  );
});

Deno.test("a write error names stdout; a closed pipe ends quietly with 0", async () => {
  const dir = Deno.makeTempDirSync();
  let outcome;
  try {
    outcome = expectCode(
      await bash(
        `
        code=0; mntns propagation show --list >/dev/full || code=$?
        echo "full: $code"
        code=0; mntns --help >/dev/full || code=$?
        echo "help: $code"
        lines=$(for i in $(seq 2 30000); do echo "$i 1 0:1 / /m$i rw - tmpfs t rw"; done)
        printf '1 0 0:1 / / rw - ext4 a rw\n%s\n' "$lines" > "$DIR/big"
        mntns propagation show --list --mountinfo "$DIR/big" 2>"$DIR/err" | head -c 10 >/dev/null
        echo "pipe: \${PIPESTATUS[0]} [$(cat "$DIR/err")]"`,
        { env: { DIR: dir } },
      ),
      0,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  assert.equal(
    outcome.stderr,
    "mntns: write error on stdout: ENOSPC (No space left on device)\n".repeat(
      2,
    ),
  );
  assert.equal(outcome.stdout, "full: 1\nhelp: 1\npipe: 0 []\n");
});

rootTest(
  "at a low descriptor limit a failure is one line with the right hint; --cap-drop takes ALL within a list",
  async () => {
    // Deno itself needs some descriptors before mntns runs: below some
    // limit the runtime fails before mntns (the README lists that), above
    // it mntns fails in one line of its own, and from some limit on it
    // runs: the limits are tried upwards until it does. Deno then runs out
    // of descriptors in its cache databases too, and deletes them: with a
    // Deno cache of its own, it deletes none of the machine's (while a
    // long-lived deno held them, every later start found them failing).
    let mntnsLines = 0;
    const denoDir = Deno.makeTempDirSync({ prefix: "mntns-ulimit-deno-" });
    try {
      for (let limit = 10; limit <= 32; limit++) {
        const outcome = await run([
          "bash",
          "-c",
          `ulimit -n ${limit}; exec ${
            MNTNS.map(shellQuote).join(" ")
          } run -- true`,
        ], { env: { DENO_DIR: denoDir } });
        if (outcome.code === 0) break;
        if (!outcome.stderr.startsWith("mntns: ")) continue;
        mntnsLines++;
        assert.equal(outcome.code, 1, outcome.stderr);
        assert.match(
          outcome.stderr,
          /^mntns: [^\n]*EMFILE \(Too many open files\) — raise the limit on open files \(ulimit -n\)\n$/,
        );
        assert.doesNotMatch(outcome.stderr, /\)\(\)|Linux 5\.3/);
      }
    } finally {
      Deno.removeSync(denoDir, { recursive: true });
    }
    assert.ok(mntnsLines > 0, "no limit made mntns itself run out");
    const dropped = expectCode(
      await mntns([
        "run",
        "--cap-drop",
        "ALL,CAP_CHOWN",
        "--",
        "grep",
        "^CapEff",
        "/proc/self/status",
      ]),
      0,
    );
    assert.equal(dropped.stdout, "CapEff:\t0000000000000000\n");
  },
);
