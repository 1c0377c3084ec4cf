/**
 * `mntns isolate` against util-linux `unshare -m --propagation MODE`, and the
 * hygiene of the exec: argv, environment, fds, signals, pid, exit statuses.
 */
import assert from "node:assert/strict";
import { parseIsolateArgs } from "../lib/cli/isolate.ts";
import { isolateSetupOps } from "../lib/plan/isolate_plan.ts";
import { MNTNS, MNTNS_SHELL_WORDS } from "./under_test.ts";
import {
  bash,
  expectCode,
  expectIgnoredSignals,
  mntns,
  run,
  withMissingPath,
} from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { groupsOf, normalizeMountinfo } from "./mountinfo_compare.ts";

/** A caller with an empty environment and a clean signal state. */
const CALLER = { env: [], signals: { ignored: [], blocked: [] } };

Deno.test("plan: option parsing stops at the first non-option word", () => {
  assert.deepEqual(parseIsolateArgs(["ls", "-la"], CALLER), {
    keep: undefined,
    propagation: "private",
    uts: false,
    hostname: undefined,
    root: undefined,
    wd: undefined,
    command: { file: "ls", argv: ["ls", "-la"], ...CALLER },
  });
  const plan = parseIsolateArgs(
    ["--propagation", "slave", "-u", "--hostname", "box", "--", "--x", ""],
    CALLER,
  );
  assert.ok(plan !== null);
  assert.equal(plan.propagation, "slave");
  assert.equal(plan.hostname, "box");
  assert.deepEqual(plan.command.argv, ["--x", ""]);
  assert.deepEqual(isolateSetupOps(plan), [
    { op: "unshare", namespaces: ["mnt", "uts"] },
    { op: "root-propagation", mode: "slave" },
    { op: "hostname", name: "box" },
  ]);
});

Deno.test("plan: no command runs $SHELL (else /bin/sh) as a login shell", () => {
  const bashPlan = parseIsolateArgs([], {
    ...CALLER,
    env: ["SHELL=/bin/bash"],
  });
  assert.ok(bashPlan !== null);
  assert.deepEqual(
    [bashPlan.command.file, bashPlan.command.argv],
    ["/bin/bash", ["-bash"]],
  );
  const shPlan = parseIsolateArgs([], CALLER);
  assert.ok(shPlan !== null);
  assert.deepEqual(
    [shPlan.command.file, shPlan.command.argv],
    ["/bin/sh", ["-sh"]],
  );
});

/** Shared, slave, private and unbindable mounts under a shared $T. */
const SETUP = `
export T
mount --make-shared "$T"
cd "$T"; mkdir a b c sl p u
mount -t tmpfs ta a; mount --make-shared a
mount --bind a b
mount -t tmpfs tc c; mount --make-shared c
mount --bind c sl; mount --make-slave sl
mount -t tmpfs tp p; mount --make-private p
mount -t tmpfs tu u; mount --make-unbindable u
cd /
`;

/**
 * Runs the command under `unshare` and under `mntns isolate` with the same
 * options; each prints its mountinfo and mounts a tmpfs under the shared
 * $T/a. Afterwards the parent says where that mount showed up (and removes it).
 */
function differential(options: string): string {
  const inner =
    `cat /proc/self/mountinfo; mkdir -p "$T/a/ev"; mount -t tmpfs ev "$T/a/ev"`;
  const after = `echo '=== seen in parent:'
    grep ' - tmpfs ev ' /proc/self/mountinfo | cut -d' ' -f5 || true
    while mountpoint -q "$T/a/ev"; do umount "$T/a/ev"; done
    while mountpoint -q "$T/b/ev"; do umount "$T/b/ev"; done`;
  return `${SETUP}
    echo '=== parent'; cat /proc/self/mountinfo
    echo '=== unshare'; unshare -m ${options} sh -c '${inner}'
    ${after}
    echo '=== mntns'; mntns isolate ${options} -- sh -c '${inner}'
    ${after}`;
}

const MODES = [
  ["default", ""],
  ["private", "--propagation private"],
  ["shared", "--propagation shared"],
  ["slave", "--propagation slave"],
  ["unchanged", "--propagation unchanged"],
] as const;

for (const [name, options] of MODES) {
  rootTest(
    `isolate ${name} gives the mountinfo and event travel of unshare -m ${options}`,
    async () => {
      const outcome = expectCode(
        await inScratchNamespace(differential(options)),
        0,
      );
      const sections = outcome.stdout.split(/^=== /m).slice(1);
      const [parent, unshareInfo, unshareSeen, mntnsInfo, mntnsSeen] = sections
        .map((section) => section.slice(section.indexOf("\n") + 1));
      const keepGroups = groupsOf(parent);
      assert.deepEqual(
        normalizeMountinfo(mntnsInfo, { keepGroups }),
        normalizeMountinfo(unshareInfo, { keepGroups }),
      );
      assert.equal(mntnsSeen, unshareSeen);
      const travels = name === "shared" || name === "unchanged";
      assert.equal(
        unshareSeen.trim().split("\n").filter(Boolean).length,
        travels ? 2 : 0,
      );
    },
  );
}

rootTest("the command gets exactly its argv and environment", async () => {
  const env = { A: "", B: "a b", C: "ünï €", PATH: "/usr/bin:/bin" };
  const argv = [
    "sh",
    "-c",
    'cat /proc/$$/cmdline; printf "|"; cat /proc/$$/environ',
    "",
    "a b",
    "ü",
    "--",
  ];
  const ours = expectCode(
    await run([...MNTNS, "isolate", "--", ...argv], { env, clearEnv: true }),
    0,
  );
  const theirs = expectCode(
    await run(["unshare", "-m", ...argv], { env, clearEnv: true }),
    0,
  );
  assert.equal(ours.stdout, theirs.stdout);
  assert.equal(
    ours.stdout,
    `${argv.join("\0")}\0|A=\0B=a b\0C=ünï €\0PATH=/usr/bin:/bin\0`,
  );
});

rootTest(
  "the command inherits exactly the caller's file descriptors",
  async () => {
    const listFds =
      `sh -c 'cd /proc/$$/fd; for f in *; do echo "$f $(readlink $f) $(grep flags /proc/$$/fdinfo/$f)"; done'`;
    const outcome = expectCode(
      await bash(`exec 5</dev/null 7>/dev/null 9<"$0"
      echo '=== unshare'; unshare -m ${listFds}
      echo '=== mntns'; mntns isolate -- ${listFds}`),
      0,
    );
    // fd 3 is the listing shell's own pipe for $(...), new every time.
    const [, theirs, ours] = outcome.stdout.replace(/^3 pipe:.*\n/gm, "")
      .split(/^=== \w+\n/m);
    assert.equal(ours, theirs);
    assert.match(ours, /^5 \/dev\/null/m);
    assert.match(ours, /^9 /m);
  },
);

rootTest(
  "the caller's ignored signals stay; SIGPIPE works; same pid",
  async () => {
    const outcome = expectCode(
      await bash(`trap '' USR1 HUP
      exec ${MNTNS_SHELL_WORDS} isolate -- sh -c 'grep -E "^Sig(Ign|Blk)" /proc/self/status; yes | head -1; echo "pid $$"'`),
      0,
    );
    expectIgnoredSignals({ status: outcome.stdout, callerIgnored: [1, 10] });
    assert.match(outcome.stdout, /^SigBlk:\t0000000000000000$/m);
    assert.match(outcome.stdout, /^y$/m);
    assert.match(outcome.stdout, new RegExp(`^pid ${outcome.pid}$`, "m"));
  },
);

rootTest(
  "exit statuses: the command's own, 127, 126, 1, 2",
  () =>
    withMissingPath(async (missing) => {
      const shown = RegExp.escape(missing);
      const garbage = Deno.makeTempFileSync();
      Deno.writeTextFileSync(garbage, "\x7fELF garbage");
      Deno.chmodSync(garbage, 0o755);
      const cases: [string[], number, RegExp | null][] = [
        [["sh", "-c", "exit 7"], 7, null],
        [
          ["no-such-command-here"],
          127,
          /^mntns: failed to execute no-such-command-here: ENOENT \(No such file or directory\)$/,
        ],
        [["--", "--weird"], 127, /^mntns: failed to execute --weird: ENOENT/],
        [
          ["/etc/passwd"],
          126,
          /^mntns: failed to execute \/etc\/passwd: EACCES \(Permission denied\)$/,
        ],
        [["/tmp"], 126, /^mntns: failed to execute \/tmp: EACCES/],
        [[garbage], 126, /: ENOEXEC \(Exec format error\)$/],
        [
          ["--root", missing, "true"],
          1,
          new RegExp(
            `^mntns: chroot\\(${shown}\\): ENOENT \\(No such file or directory\\) — check that the path exists$`,
          ),
        ],
        [
          ["--wd", missing, "true"],
          1,
          new RegExp(`^mntns: chdir\\(${shown}\\): ENOENT`),
        ],
        [
          ["--propagation", "bogus", "true"],
          2,
          /^mntns: unsupported propagation mode 'bogus'/,
        ],
        [["--hostname", "box", "true"], 2, /^mntns: --hostname needs --uts/],
        [
          ["--uts", "--hostname", "x".repeat(65), "true"],
          2,
          /^mntns: hostname 'x+' is 65 bytes; it must be 1 to 64$/,
        ],
        [["--bogus"], 2, /^mntns: unrecognized option '--bogus'$/],
      ];
      try {
        for (const [args, code, message] of cases) {
          const outcome = expectCode(await mntns(["isolate", ...args]), code);
          const firstLine = outcome.stderr.split("\n")[0];
          if (message) assert.match(firstLine, message, args.join(" "));
          else assert.equal(outcome.stderr, "");
        }
      } finally {
        Deno.removeSync(garbage);
      }
    }),
);

rootTest(
  "without CAP_SYS_ADMIN: one line that names the privilege",
  async () => {
    const outcome = expectCode(
      await run([
        "setpriv",
        "--bounding-set=-sys_admin",
        ...MNTNS,
        "isolate",
        "true",
      ]),
      1,
    );
    assert.equal(
      outcome.stderr,
      "mntns: unshare(): EPERM (Operation not permitted) — needs CAP_SYS_ADMIN: run as root\n",
    );
  },
);

rootTest("--uts --hostname sets the hostname inside only", async () => {
  const before = Deno.hostname();
  const outcome = expectCode(
    await mntns(["isolate", "--uts", "--hostname", "box-ü", "hostname"]),
    0,
  );
  assert.equal(outcome.stdout, "box-ü\n");
  assert.equal(Deno.hostname(), before);
});

rootTest("--root chroots and --wd sets the working directory", async () => {
  const outcome = expectCode(
    await inScratchNamespace(`
      touch "$T/marker"; mkdir "$T/r"; mount --bind / "$T/r"
      mntns isolate --root "$T/r" --wd /etc -- /bin/sh -c 'pwd; test -e "$0/marker" && echo leaked || echo confined' "$T"
      mntns isolate --root "$T/r" -- /bin/pwd`),
    0,
  );
  assert.equal(outcome.stdout, "/etc\nconfined\n/\n");
});
