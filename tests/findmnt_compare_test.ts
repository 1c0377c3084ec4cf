/**
 * `propagation show` against findmnt 2.38 with the same options, byte for
 * byte and exit status for exit status (JSON also compared as parsed
 * values): on this machine's mount table, on util-linux's own test
 * mountinfo files (tests/fixtures/util-linux), and on 300 random mount
 * trees built in throw-away namespaces — tmpfs mounts, binds of whole
 * mounts and of directories in them, mounts stacked on mount points,
 * shared and slave ones, and unmounts in between, so that mount ids and
 * the file's order disagree.
 */
import assert from "node:assert/strict";
import {
  expectCode,
  inScratchNamespace,
  MNTNS,
  MNTNS_DENO,
  rootTest,
  run,
  shellQuote,
} from "./helpers.ts";

/** Column lists of findmnt's, each used with every mode. */
const COLUMN_LISTS = [
  "TARGET,SOURCE,FSTYPE,OPTIONS",
  "TARGET,PROPAGATION,ID,PARENT,MAJ:MIN",
  "TARGET,FSROOT,VFS-OPTIONS,FS-OPTIONS,OPT-FIELDS",
  "ID,PARENT,SOURCE,PROPAGATION,OPT-FIELDS",
];

/** Modes that need no path, as findmnt's option words. */
const MODES = [
  [],
  ["-l"],
  ["-r"],
  ["-n"],
  ["-P"],
  ["-J"],
  ["-J", "-l"],
  ["-t", "tmpfs"],
  ["-t", "notmpfs,proc"],
  ["-l", "-t", "bogusfs"],
  ["-t", "bogusfs"],
  ["-f"],
  ["-U"],
  ["-a", "-y"],
  ["--real"],
  ["-P", "--pseudo"],
];

/** One comparison: findmnt's words, and show's (the same but the source). */
interface Case {
  findmnt: string[];
  show: string[];
}

/** What a run printed and its status. */
interface Result {
  stdout: string;
  status: number;
}

/** Runs show for each case in one process (tests/show_runner.ts). */
async function runShow(cases: readonly string[][]): Promise<Result[]> {
  const jobs = Deno.makeTempFileSync({ suffix: ".json" });
  try {
    Deno.writeTextFileSync(jobs, JSON.stringify(cases));
    const outcome = expectCode(
      await run([
        MNTNS_DENO,
        "run",
        "-A",
        new URL("./show_runner.ts", import.meta.url).pathname,
        jobs,
      ]),
      0,
    );
    return parseJobs(outcome.stdout, cases.length);
  } finally {
    Deno.removeSync(jobs);
  }
}

function parseJobs(text: string, count: number): Result[] {
  const results: Result[] = [];
  const pattern = /^@@job (\d+)\n([\s\S]*?)^@@status (\d+)\n/gm;
  for (const match of text.matchAll(pattern)) {
    results[Number(match[1])] = {
      stdout: match[2],
      status: Number(match[3]),
    };
  }
  assert.equal(results.length, count);
  return results;
}

/** Asserts that show printed findmnt's bytes with its status, case by case. */
function assertSame(
  cases: readonly Case[],
  findmnt: readonly Result[],
  show: readonly Result[],
  where: string,
): void {
  cases.forEach((each, index) => {
    const label = `${where}: findmnt ${each.findmnt.join(" ")}`;
    const theirs = findmnt[index];
    const ours = show[index];
    if (each.findmnt.includes("-J") && theirs.stdout !== "") {
      assert.deepEqual(
        JSON.parse(ours.stdout),
        JSON.parse(theirs.stdout),
        label,
      );
    }
    assert.equal(ours.stdout, theirs.stdout, label);
    assert.equal(ours.status, theirs.status, label);
  });
}

/** Every mode with every column list. */
function everyMode(): string[][] {
  return COLUMN_LISTS.flatMap((columns) =>
    MODES.map((mode) => [...mode, "-o", columns])
  );
}

Deno.test("show on util-linux's test mountinfo files is findmnt -F", async () => {
  const dir = new URL("./fixtures/util-linux/", import.meta.url).pathname;
  const files = [...Deno.readDirSync(dir)]
    .filter((entry) => entry.name.endsWith(".mountinfo"))
    .map((entry) => `${dir}${entry.name}`).sort();
  assert.equal(files.length, 9);
  const cases: Case[] = [];
  for (const file of files) {
    const targets = Deno.readTextFileSync(file).split("\n")
      .filter((line) => line !== "").map((line) => line.split(" ")[4]);
    const some = [targets[1], targets[targets.length - 1]];
    for (
      const words of [
        ...everyMode(),
        ...some.flatMap((target) => [
          [target, "-o", "TARGET,ID,SOURCE"],
          ["-M", target, "-o", "TARGET,ID"],
          ["-R", target, "-o", "TARGET,ID"],
          ["-R", "-J", target, "-o", "TARGET,ID"],
        ]),
        ["/not/a/mount/point", "-o", "TARGET"],
        ["-S", "none", "-o", "TARGET,ID"],
      ]
    ) {
      cases.push({
        findmnt: ["-F", file, ...words],
        show: ["--mountinfo", file, ...words],
      });
    }
  }
  const findmnt = await Promise.all(cases.map(async (each) => {
    const outcome = await run(["findmnt", ...each.findmnt]);
    return { stdout: outcome.stdout, status: outcome.code };
  }));
  assertSame(cases, findmnt, await runShow(cases.map((c) => c.show)), "file");
});

rootTest(
  "show on this machine's mount table is findmnt, mode by mode",
  async () => {
    const words = [
      ...everyMode().filter((_, index) => index % 3 === 0),
      ["/proc", "-o", "TARGET,SOURCE"],
      ["-T", "/proc/self", "-o", "TARGET,ID"],
      ["-T", "/etc", "-o", "TARGET"],
      ["/etc", "-o", "TARGET"],
      ["-S", "proc", "-J", "-o", "TARGET,ID"],
      ["-t", "bogusfs"],
      ["-J", "-t", "bogusfs"],
    ];
    const results = await Promise.all(words.map(async (each) => {
      const [findmnt, show] = await Promise.all([
        run(["findmnt", ...each]),
        run([...MNTNS, "propagation", "show", ...each]),
      ]);
      return {
        findmnt: { stdout: findmnt.stdout, status: findmnt.code },
        show: { stdout: show.stdout, status: show.code },
      };
    }));
    assertSame(
      words.map((each) => ({ findmnt: each, show: each })),
      results.map((result) => result.findmnt),
      results.map((result) => result.show),
      "this machine",
    );
    const none = results.at(-2)!.show;
    assert.deepEqual(none, { stdout: "", status: 0 });
  },
);

/**
 * `tree SEED`: builds a random tree of mounts on $T/wSEED from bash's
 * RANDOM seeded with SEED, and prints this namespace's mountinfo and the
 * mount point picked for the path cases (`$pick`), each after an `@@` line.
 */
const RANDOM_TREE = `
tree() {
  RANDOM=$1
  W="$T/w$1"; mkdir -p "$W"; mount -t tmpfs s0 "$W"
  points=("$W")
  for step in $(seq $((4 + RANDOM % 12))); do
    p=\${points[RANDOM % \${#points[@]}]}
    q=\${points[RANDOM % \${#points[@]}]}
    case $((RANDOM % 9)) in
      0|1|2) mkdir -p "$p/d$step" && mount -t tmpfs "s$step" "$p/d$step" && points+=("$p/d$step") ;;
      3) mkdir -p "$q/in$step" "$p/b$step" && mount --bind "$q/in$step" "$p/b$step" && points+=("$p/b$step") ;;
      4) mkdir -p "$p/r$step" && mount --bind "$q" "$p/r$step" && points+=("$p/r$step") ;;
      5) mount -t tmpfs "top$step" "$p" || true ;;
      6) [ "$p" = "$W" ] || umount "$p" 2>/dev/null || true ;;
      7) mount --make-shared "$p" || true ;;
      8) mount --make-slave "$p" && mount --make-unbindable "$q" || true ;;
    esac || true
  done
  pick=\${points[RANDOM % \${#points[@]}]}
  mkdir -p "$pick/x"
  echo "@@mountinfo"; cat /proc/self/mountinfo
  echo "@@pick $pick"
}
`;

/** A case's words with the picked path as `PICK`, as a bash command line. */
function caseLine(words: readonly string[]): string {
  return words.map((word) =>
    word.startsWith("PICK")
      ? `"$pick"${shellQuote(word.slice(4) || "")}`
      : shellQuote(word)
  ).join(" ");
}

/** What one random tree gave: its mountinfo, pick, and findmnt's runs. */
interface TreeRun {
  mountinfo: string;
  pick: string;
  findmnt: Result[];
}

function parseTrees(text: string): TreeRun[] {
  return text.split(/^@@tree \d+\n/m).slice(1).map((part) => {
    const info = /^@@mountinfo\n([\s\S]*?)^@@pick (.*)\n([\s\S]*)$/m
      .exec(part)!;
    const findmnt = [
      ...info[3].matchAll(/^@@case\n([\s\S]*?)^@@status (\d+)\n/gm),
    ].map((match) => ({ stdout: match[1], status: Number(match[2]) }));
    return { mountinfo: info[1], pick: info[2], findmnt };
  });
}

rootTest(
  "show on 300 random mount trees is findmnt, with ids out of file order",
  async () => {
    const seeds = Array.from({ length: 300 }, (_, index) => index + 1);
    // Each tree: three modes with one column list, and the path cases.
    const casesOf = (seed: number): string[][] => [
      ...[0, 1, 2].map((k) => [
        ...MODES[(seed * 3 + k) % MODES.length],
        "-o",
        COLUMN_LISTS[seed % COLUMN_LISTS.length],
      ]),
      ["PICK", "-o", "TARGET,ID,PARENT"],
      ["-T", "PICK/x", "-o", "TARGET,ID"],
      ["-M", "PICK", "-l", "-o", "TARGET,ID"],
      ["-R", "PICK", "-o", "TARGET,ID,FSROOT"],
      ["-S", "s1", "-J", "-o", "TARGET,ID,SOURCE"],
      ["-f", "-U", "-o", "TARGET,ID"],
    ];
    const script = RANDOM_TREE +
      seeds.map((seed) =>
        `echo "@@tree ${seed}"; tree ${seed}
${
          casesOf(seed).map((words) =>
            `echo "@@case"; s=0; findmnt ${
              caseLine(words)
            } || s=$?; echo "@@status $s"`
          ).join("\n")
        }
umount -lR "$W" || echo "umount -lR $W: $?" >&2`
      ).join("\n");
    const dir = Deno.makeTempDirSync({ prefix: "mntns-trees-" });
    try {
      // Too long for an argument: the shell reads it from a file.
      Deno.writeTextFileSync(`${dir}/trees.sh`, script);
      const outcome = expectCode(
        await inScratchNamespace(`. ${shellQuote(`${dir}/trees.sh`)}`),
        0,
      );
      const trees = parseTrees(outcome.stdout);
      assert.equal(trees.length, seeds.length);
      const cases: Case[] = [];
      const findmnt: Result[] = [];
      let disordered = 0;
      trees.forEach((tree, index) => {
        const file = `${dir}/${seeds[index]}`;
        Deno.writeTextFileSync(file, tree.mountinfo);
        const ids = tree.mountinfo.trimEnd().split("\n").map((line) =>
          Number(line.split(" ")[0])
        );
        if (ids.some((id, at) => at > 0 && id < ids[at - 1])) disordered++;
        const each = casesOf(seeds[index]);
        assert.equal(tree.findmnt.length, each.length);
        each.forEach((words, at) => {
          const real = words.map((word) =>
            word.startsWith("PICK") ? tree.pick + word.slice(4) : word
          );
          cases.push({ findmnt: real, show: ["--mountinfo", file, ...real] });
          findmnt.push(tree.findmnt[at]);
        });
      });
      // Mount ids and the file's order disagree in many of the trees.
      assert.ok(disordered > seeds.length / 4, `${disordered} disordered`);
      assertSame(
        cases,
        findmnt,
        await runShow(cases.map((c) => c.show)),
        "tree",
      );
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);
