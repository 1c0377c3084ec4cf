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
import { MNTNS, MNTNS_DENO } from "./under_test.ts";
import { expectCode, run, shellQuote } from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { prng } from "./prng.ts";

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

/**
 * Asserts that show printed findmnt's bytes with its status, case by case
 * (JSON also as parsed values); a failure names how many cases differ and
 * shows the first.
 */
function assertSame(
  cases: readonly Case[],
  findmnt: readonly Result[],
  show: readonly Result[],
  where: string,
): void {
  const differing = cases.map((each, index) => ({ each, index })).filter(
    ({ index }) =>
      show[index].stdout !== findmnt[index].stdout ||
      show[index].status !== findmnt[index].status,
  );
  for (const { each, index } of differing.slice(0, 1)) {
    const label = `${where}: ${differing.length} of ${cases.length} differ; ` +
      `findmnt ${each.findmnt.join(" ")}`;
    assert.equal(show[index].stdout, findmnt[index].stdout, label);
    assert.equal(show[index].status, findmnt[index].status, label);
  }
  cases.forEach((each, index) => {
    if (each.findmnt.includes("-J") && findmnt[index].stdout !== "") {
      assert.deepEqual(
        JSON.parse(show[index].stdout),
        JSON.parse(findmnt[index].stdout),
      );
    }
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

/** A random tree: two fstab files for `mount -a`, and what goes between. */
interface RandomTree {
  /** Mounts made first, as fstab lines (paths below `$T`). */
  first: string[];
  /** Mount points unmounted (lazily, with what is below) after them. */
  unmounted: string[];
  /** Mounts made then: their ids reuse the freed ones. */
  second: string[];
  /** A mount point for the path cases. */
  pick: string;
}

/**
 * A random tree on `$T/wSEED`: tmpfs mounts, binds of mount points (and so
 * of the directories an unmount leaves), mounts stacked on mount points,
 * some shared, slave or unbindable; some unmounted before more are made.
 */
function randomTree(seed: number): RandomTree {
  const random = prng(seed);
  const below = (list: readonly string[]): string =>
    list[Math.floor(random() * list.length)];
  const top = `w${seed}`;
  const points = [top];
  const flags = ["", "", "", ",shared", ",slave", ",unbindable", ",private"];
  let step = 0;
  const mounts = (count: number): string[] =>
    Array.from({ length: count }, () => {
      step++;
      const at = below(points);
      const flag = below(flags);
      const kind = random();
      if (kind < 0.45) {
        points.push(`${at}/d${step}`);
        return `s${step} $T/${at}/d${step} tmpfs X-mount.mkdir${flag} 0 0`;
      }
      if (kind < 0.75) {
        points.push(`${at}/b${step}`);
        return `$T/${
          below(points)
        } $T/${at}/b${step} none bind,X-mount.mkdir${flag} 0 0`;
      }
      return `top${step} $T/${at} tmpfs defaults${flag} 0 0`;
    });
  const first = [
    `s0 $T/${top} tmpfs X-mount.mkdir 0 0`,
    ...mounts(3 + Math.floor(random() * 8)),
  ];
  const unmounted = Array.from(
    { length: 1 + Math.floor(random() * 3) },
    () => below(points.slice(1)),
  ).filter((point) => point !== undefined);
  const second = mounts(2 + Math.floor(random() * 6));
  return { first, unmounted, second, pick: below(points) };
}

/** Bash words for a line or path below `$T`, `$T` left to the shell. */
function underT(text: string): string {
  return `"${text.replaceAll('"', '\\"')}"`;
}

/** A case's words with the picked mount point as `PICK`, for bash. */
function caseLine(words: readonly string[], pick: string): string {
  return words.map((word) =>
    word === "PICK" ? underT(`$T/${pick}`) : shellQuote(word)
  ).join(" ");
}

/** What one random tree gave: its mountinfo and findmnt's runs. */
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

/** The path cases, `PICK` standing for a mount point of the tree. */
const PATH_CASES = [
  ["PICK", "-o", "TARGET,ID,PARENT"],
  ["-T", "PICK", "-o", "TARGET,ID"],
  ["-M", "PICK", "-l", "-o", "TARGET,ID"],
  ["-R", "PICK", "-o", "TARGET,ID,FSROOT"],
  ["-R", "-J", "PICK", "-o", "TARGET,SOURCE,ID"],
  ["-S", "s1", "-J", "-o", "TARGET,ID,SOURCE"],
  ["-f", "-U", "-o", "TARGET,ID"],
  ["-U", "-o", "TARGET,ID,PARENT"],
  ["-P", "PICK", "-o", "TARGET,FSROOT,PROPAGATION"],
];

rootTest(
  "show on 300 random mount trees is findmnt, with ids out of file order",
  async () => {
    const seeds = Array.from({ length: 300 }, (_, index) => index + 1);
    const modes = everyMode();
    // Two findmnt runs a tree: a mode with a column list, and a path case;
    // over the trees, each is run several times.
    const casesOf = (seed: number): string[][] => [
      modes[seed % modes.length],
      PATH_CASES[seed % PATH_CASES.length],
    ];
    const trees = seeds.map(randomTree);
    // Few processes a tree (each costs on a loaded machine): a namespace of
    // its own (gone with the shell, mounts and all), two mount -a, one umount
    // and the findmnt runs.
    const dir = Deno.makeTempDirSync({ prefix: "mntns-trees-" });
    try {
      trees.forEach((tree, index) => {
        const seed = seeds[index];
        Deno.writeTextFileSync(
          `${dir}/${seed}.sh`,
          [
            `printf '%s\\n' ${tree.first.map(underT).join(" ")} > "$T/f1"`,
            `mount -a -T "$T/f1" 2>/dev/null || true`,
            `umount -l ${
              tree.unmounted.map((point) => underT(`$T/${point}`)).join(" ")
            } 2>/dev/null || true`,
            `printf '%s\\n' ${tree.second.map(underT).join(" ")} > "$T/f2"`,
            `mount -a -T "$T/f2" 2>/dev/null || true`,
            `echo "@@mountinfo"; printf '%s\\n' "$(</proc/self/mountinfo)"`,
            // The path cases need the picked path to exist, as findmnt
            // looks it up (show reads a saved file: it cannot).
            `[ -e ${underT(`$T/${tree.pick}`)} ] || mkdir -p ${
              underT(`$T/${tree.pick}`)
            } 2>/dev/null || true`,
            `echo "@@pick $T/${tree.pick}"`,
            ...casesOf(seed).map((words) =>
              `echo "@@case"; s=0; findmnt ${
                caseLine(words, tree.pick)
              } || s=$?; echo "@@status $s"`
            ),
          ].join("\n") + "\n",
        );
      });
      const outcome = expectCode(
        await inScratchNamespace(`export T
for seed in ${seeds.join(" ")}; do
  echo "@@tree $seed"
  unshare -m --propagation private bash ${shellQuote(dir)}/"$seed".sh
done`),
        0,
      );
      const runs = parseTrees(outcome.stdout);
      assert.equal(runs.length, seeds.length);
      const cases: Case[] = [];
      const findmnt: Result[] = [];
      let disordered = 0;
      let binds = 0;
      runs.forEach((run, index) => {
        const file = `${dir}/${seeds[index]}`;
        Deno.writeTextFileSync(file, run.mountinfo);
        const lines = run.mountinfo.trimEnd().split("\n");
        const ids = lines.map((line) => Number(line.split(" ")[0]));
        if (ids.some((id, at) => at > 0 && id < ids[at - 1])) disordered++;
        if (lines.some((line) => line.split(" ")[3] !== "/")) binds++;
        const each = casesOf(seeds[index]);
        assert.equal(run.findmnt.length, each.length);
        each.forEach((words, at) => {
          const real = words.map((word) => word === "PICK" ? run.pick : word);
          cases.push({ findmnt: real, show: ["--mountinfo", file, ...real] });
          findmnt.push(run.findmnt[at]);
        });
      });
      // Mount ids and the file's order disagree in many of the trees, and
      // many hold a bind of a directory (FSROOT not /).
      assert.ok(disordered > seeds.length / 4, `${disordered} disordered`);
      assert.ok(binds > seeds.length / 10, `${binds} with a bind`);
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
