/**
 * `propagation show --mountinfo FILE` with files that are not mountinfo:
 * endless, blocking, huge, empty, a directory, malformed; and the tree
 * holding every mount the list holds.
 */
import assert from "node:assert/strict";
import { filesystems } from "./findmnt_json.ts";
import { MNTNS } from "./under_test.ts";
import { type Outcome, run } from "./processes.ts";

/** What one run of mntns took. */
interface Measured {
  outcome: Outcome;
  /** Wall time, ms. */
  ms: number;
  /** Peak resident set size, MiB. */
  peakMiB: number;
}

const GNU_TIME = "/usr/bin/time";
const hasGnuTime = ((): boolean => {
  try {
    return Deno.statSync(GNU_TIME).isFile;
  } catch {
    return false;
  }
})();

/**
 * Runs mntns, with its peak RSS: from GNU time (the kernel's ru_maxrss)
 * where it is installed, else the highest VmHWM read from /proc every
 * millisecond while it runs. Killed after 5 s, so a read that never ends
 * fails the test instead of hanging it.
 */
async function measure(args: readonly string[]): Promise<Measured> {
  const argv = hasGnuTime
    ? [GNU_TIME, "-f", "@@peak %M", ...MNTNS, ...args]
    : [...MNTNS, ...args];
  const started = performance.now();
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(5_000),
  }).spawn();
  let peakKiB = 0;
  let done = false;
  const result = child.output().finally(() => done = true);
  while (!hasGnuTime && !done) {
    try {
      const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
      const hwm = /VmHWM:\s+(\d+)/.exec(status);
      if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
    } catch {
      // Gone, or not yet there.
    }
    await new Promise((wake) => setTimeout(wake, 1));
  }
  const output = await result;
  const ms = performance.now() - started;
  const decoder = new TextDecoder();
  let stderr = decoder.decode(output.stderr);
  if (hasGnuTime) {
    const peak = /(?:Command exited with non-zero status \d+\n)?@@peak (\d+)\n$/
      .exec(stderr)!;
    peakKiB = Number(peak[1]);
    stderr = stderr.slice(0, peak.index);
  }
  return {
    outcome: {
      pid: child.pid,
      code: output.code,
      signal: output.signal,
      stdout: decoder.decode(output.stdout),
      stderr,
    },
    ms,
    peakMiB: peakKiB / 1024,
  };
}

Deno.test("--mountinfo of /dev/zero, a FIFO or a file over 256 MiB: one line, exit 1, at once, in little memory", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "mntns-input-" });
  try {
    const fifo = `${dir}/fifo`;
    const huge = `${dir}/huge`;
    await run(["mkfifo", fifo]);
    await run(["truncate", "-s", "300M", huge]);
    const baseline = await measure(["--version"]);
    const cases: [string, string][] = [
      [
        "/dev/zero",
        "mntns: /dev/zero: is a character device — save it to a regular file first",
      ],
      [fifo, `mntns: ${fifo}: is a FIFO — save it to a regular file first`],
      [
        huge,
        `mntns: ${huge}: more than 256 MiB — mntns reads at most 256 MiB of mountinfo; is it a mountinfo file?`,
      ],
    ];
    for (const [file, line] of cases) {
      const seen = await measure(["propagation", "show", "--mountinfo", file]);
      assert.equal(seen.outcome.code, 1, seen.outcome.stderr);
      assert.equal(seen.outcome.stdout, "");
      assert.equal(seen.outcome.stderr, line + "\n");
      assert.ok(
        seen.ms < baseline.ms + 1000,
        `${file}: ${seen.ms.toFixed(0)} ms (mntns --version: ${
          baseline.ms.toFixed(0)
        } ms)`,
      );
      assert.ok(seen.peakMiB < 100, `${file}: ${seen.peakMiB} MiB`);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("--mountinfo of a directory, an empty name or an empty file: one line each", async () => {
  const empty = Deno.makeTempFileSync();
  const blank = Deno.makeTempFileSync();
  Deno.writeTextFileSync(blank, "\n\n");
  try {
    const cases: [string[], number, string][] = [
      [
        ["--mountinfo", "/tmp"],
        1,
        "mntns: /tmp: is a directory — give a saved mountinfo file\n",
      ],
      [
        ["--mountinfo="],
        2,
        "mntns: --mountinfo takes a file name, not ''\nTry 'mntns propagation show --help' for more information.\n",
      ],
      [
        ["--mountinfo", ""],
        2,
        "mntns: --mountinfo takes a file name, not ''\nTry 'mntns propagation show --help' for more information.\n",
      ],
      [["--mountinfo", empty], 1, `mntns: no mounts in ${empty}\n`],
      [["--mountinfo", blank], 1, `mntns: no mounts in ${blank}\n`],
    ];
    for (const [args, code, stderr] of cases) {
      const { outcome } = await measure(["propagation", "show", ...args]);
      assert.equal(outcome.code, code, args.join(" "));
      assert.equal(outcome.stdout, "");
      assert.equal(outcome.stderr, stderr);
    }
  } finally {
    Deno.removeSync(empty);
    Deno.removeSync(blank);
  }
});

Deno.test("--mountinfo /proc/self/mountinfo (size 0, not a FIFO) is read", async () => {
  const { outcome } = await measure([
    "propagation",
    "show",
    "--list",
    "--mountinfo",
    "/proc/self/mountinfo",
  ]);
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.match(outcome.stdout, /^TARGET +SOURCE/);
  assert.match(outcome.stdout, /\n\/ /);
});

/** Runs show on a mountinfo text: tree, list and JSON. */
async function showText(
  text: string,
): Promise<{ tree: Outcome; list: Outcome; ids: number[] }> {
  const file = Deno.makeTempFileSync();
  Deno.writeTextFileSync(file, text);
  try {
    const show = (args: string[]): Promise<Measured> =>
      measure(["propagation", "show", "--mountinfo", file, ...args]);
    const [tree, list, json] = await Promise.all([
      show([]),
      show(["--list"]),
      show(["--json", "--list", "-o", "ID"]),
    ]);
    const mounts = filesystems(json.outcome.stdout);
    return {
      tree: tree.outcome,
      list: list.outcome,
      ids: mounts.map((mount) => mount.id),
    };
  } finally {
    Deno.removeSync(file);
  }
}

/** The TARGET column of a table, tree branches removed, sorted. */
function targets(table: string): string[] {
  return table.trimEnd().split("\n").slice(1).map((line) =>
    line.split(/ +/)[0].replace(/^[│├└─ ]+/, "")
  ).sort();
}

Deno.test("the tree shows two mounts whose parents form a cycle, with a warning", async () => {
  const { tree, list } = await showText(
    "1 2 0:1 / / rw - ext4 /dev/a rw\n2 1 0:2 / /x rw - tmpfs b rw\n",
  );
  assert.equal(tree.code, 0, tree.stderr);
  assert.equal(
    tree.stdout,
    "TARGET SOURCE FSTYPE PROPAGATION PEER MASTER FROM\n" +
      "/      /dev/a ext4   private        -      -    -\n" +
      "└─/x   b      tmpfs  private        -      -    -\n",
  );
  assert.equal(
    tree.stderr,
    "mntns: warning: 1 mount put at the top level of the tree: / (id 1: its parents form a cycle)\n",
  );
  assert.deepEqual(targets(tree.stdout), targets(list.stdout));
  assert.equal(list.stderr, "");
});

Deno.test("the tree shows a repeated id and a mount whose parent is missing", async () => {
  const { tree, list, ids } = await showText(
    [
      "1 0 0:1 / / rw - ext4 /dev/a rw",
      "2 1 0:2 / /x rw - tmpfs b rw",
      "2 1 0:3 / /y rw - tmpfs c rw",
      "5 77 0:4 / /lost rw - tmpfs d rw",
      "",
    ].join("\n"),
  );
  assert.equal(tree.code, 0, tree.stderr);
  assert.deepEqual(ids, [1, 2, 2, 5]);
  assert.deepEqual(targets(tree.stdout), ["/", "/lost", "/x", "/y"]);
  assert.deepEqual(targets(tree.stdout), targets(list.stdout));
  assert.equal(
    tree.stderr,
    "mntns: warning: 2 mounts put at the top level of the tree: /lost (id 5: parent 77 not listed), /y (id 2: a repeated id)\n",
  );
});

Deno.test("a number beyond 2^53-1 is refused with its line, on either parsing path", async () => {
  for (
    const line of [
      "9007199254740993 1 0:2 / /x rw - tmpfs b rw",
      "9007199254740993 1 0:2 / /x rw - tmpfs  rw",
    ]
  ) {
    const file = Deno.makeTempFileSync();
    Deno.writeTextFileSync(file, `1 0 0:1 / / rw - ext4 /dev/a rw\n${line}\n`);
    try {
      const { outcome } = await measure([
        "propagation",
        "show",
        "--mountinfo",
        file,
      ]);
      assert.equal(outcome.code, 1);
      assert.equal(
        outcome.stderr,
        `mntns: ${file}: line 2: mount id 9007199254740993 is over 9007199254740991 (2^53-1), the largest number mntns reads exactly\n`,
      );
    } finally {
      Deno.removeSync(file);
    }
  }
});
