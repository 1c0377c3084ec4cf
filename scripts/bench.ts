/**
 * `deno task bench` (as root): mntns side by side with the tools people use
 * instead, in one run. Each pair runs alternately (A B A B ...) after a
 * warm-up; the table reports the median of the per-pair ratios A/B.
 *
 * The mount-table part works in a throw-away mount namespace of this process
 * (unshare on its main thread; the children it starts inherit it): it makes
 * 2,000, then 20,000, then 40,000 bind mounts there, then (those gone) 10,000
 * tmpfs mounts stacked on one mount point (each the child of the one before:
 * a tree 10,000 deep, 200 MB of output from a mountinfo under 1 MB), and all
 * of them vanish with the process. The mountinfo at 20,000 mounts, repeated
 * with its ids renumbered to 100 MB, is the saved file `--list` reads. Then
 * the shapes of real hosts (scripts/bench_shapes.ts): 20,000 mounts in one
 * shared peer group, and a systemd-like mix seen from a second namespace.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { MNT_DETACH } from "../ffi/constants.ts";
import { mount, umount2 } from "../ffi/syscalls.ts";
import { closeFd } from "../ffi/fds.ts";
import { renderTable } from "../lib/cli/table.ts";
import { benchNamespaces } from "./bench_namespaces.ts";
import { benchWatch } from "./bench_watch.ts";
import {
  benchShape,
  bind,
  makeMixShape,
  makeSharedShape,
  removeShape,
  throwawayNamespace,
  tmpfsAt,
} from "./bench_shapes.ts";
import { writeRunFloor } from "./bench_floor.ts";
import { median } from "./median.ts";
import { peakRssMiB } from "./peak_rss.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PAIRS = Number(Deno.env.get("BENCH_PAIRS") ?? "21");
const WARMUP = 3;

/** One row of the result table. */
interface Row {
  what: string;
  ratio: number;
  a: number;
  b: number;
  target: string;
}

/**
 * Wall-clock milliseconds of one run of a command, its output discarded.
 *
 * @example
 * ```ts
 * await timeOnce(["true"]); // 0.9
 * ```
 */
export async function timeOnce(argv: readonly string[]): Promise<number> {
  const start = performance.now();
  const result = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const elapsed = performance.now() - start;
  if (!result.success) {
    throw new Error(
      `${argv.join(" ")} failed (exit ${result.code}): ${
        new TextDecoder().decode(result.stderr).trim()
      }`,
    );
  }
  return elapsed;
}

/**
 * Runs A and B alternately and returns the medians of A, B and of A/B.
 *
 * @example
 * ```ts
 * await pair({ a: ["true"], b: ["false"], pairs: 21 });
 * ```
 */
export async function pair(
  options: { a: readonly string[]; b: readonly string[]; pairs: number },
): Promise<{ ratio: number; a: number; b: number }> {
  for (let i = 0; i < WARMUP; i++) {
    await timeOnce(options.a);
    await timeOnce(options.b);
  }
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < options.pairs; i++) {
    const a = await timeOnce(options.a);
    const b = await timeOnce(options.b);
    as.push(a);
    bs.push(b);
    ratios.push(a / b);
  }
  return { ratio: median(ratios), a: median(as), b: median(bs) };
}

async function medianTime(
  argv: readonly string[],
  runs: number,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeOnce(argv));
  return median(times);
}

/** Wall milliseconds and peak RSS (MiB) of one run, its output discarded. */
async function timeAndPeak(
  argv: readonly string[],
): Promise<{ ms: number; mib: number }> {
  const result = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%e %M", ...argv],
    stdout: "null",
    stderr: "piped",
  }).output();
  const last = new TextDecoder().decode(result.stderr).trim().split("\n").at(
    -1,
  )!;
  if (!result.success) throw new Error(`${argv.join(" ")} failed: ${last}`);
  const [seconds, kib] = last.split(" ").map(Number);
  return { ms: seconds * 1000, mib: kib / 1024 };
}

/**
 * Mounts a tmpfs at `dir` and stacks `count` tmpfs mounts on `dir/stack`,
 * as `for i in $(seq count); do mount -t tmpfs s$i dir/stack; done` does:
 * each mount is the child of the one before, on the same short path.
 */
function stackMounts(dir: string, count: number): void {
  tmpfsAt(dir);
  Deno.mkdirSync(`${dir}/stack`);
  for (let i = 0; i < count; i++) {
    mount({
      source: `s${i}`,
      target: `${dir}/stack`,
      fstype: "tmpfs",
      flags: 0,
    });
  }
}

/**
 * Writes `mountinfo` to `path` again and again, each copy's mount and
 * parent ids moved past the last copy's, until the file holds `bytes`: a
 * large mountinfo of ordinary lines.
 */
function repeatMountinfo(
  mountinfo: string,
  options: { path: string; bytes: number },
): void {
  const lines = mountinfo.trimEnd().split("\n").map((line) => line.split(" "));
  const step = 1 + Math.max(
    ...lines.map((fields) => Math.max(Number(fields[0]), Number(fields[1]))),
  );
  const file = Deno.openSync(options.path, { write: true, create: true });
  const encoder = new TextEncoder();
  try {
    let written = 0;
    for (let copy = 0; written < options.bytes; copy++) {
      const text = lines.map(([id, parent, ...rest]) =>
        `${Number(id) + copy * step} ${Number(parent) + copy * step} ${
          rest.join(" ")
        }\n`
      ).join("");
      const bytes = encoder.encode(text);
      for (let at = 0; at < bytes.length;) {
        at += file.writeSync(bytes.subarray(at));
      }
      written += bytes.length;
    }
  } finally {
    file.close();
  }
}

/** Adds bind mounts of `source` at `dir/m<i>` for i in [from, to). */
function addMounts(dir: string, from: number, to: number): void {
  for (let i = from; i < to; i++) bind(`${dir}/src`, `${dir}/m${i}`);
}

async function main(): Promise<void> {
  const work = Deno.makeTempDirSync({ prefix: "mntns-bench-" });
  const bundle = `${work}/mntns.js`;
  const empty = `${work}/empty.js`;
  Deno.writeTextFileSync(empty, "");
  await timeOnce([
    Deno.execPath(),
    "run",
    "-A",
    `${ROOT}scripts/bundle.ts`,
    bundle,
  ]);
  // A Deno cache of the bench's own, for every deno it starts once the
  // bundle is made: the machine's can be failing while a long-lived deno (a
  // test suite) holds its databases, and then every start analyses its
  // module again and rewrites the database (docs/speed.md says what that
  // cost), which is not what a user's start costs.
  Deno.env.set("DENO_DIR", `${work}/deno-dir`);
  const deno = Deno.execPath();
  const mntns = [deno, "run", "-A", bundle];
  const source = [deno, "run", "-A", `${ROOT}main.ts`];
  const baseline = [deno, "run", "-A", empty];
  const rows: Row[] = [];
  const add = async (
    what: string,
    a: readonly string[],
    b: readonly string[],
    target = "",
    pairs = PAIRS,
  ): Promise<void> => {
    const result = await pair({ a, b, pairs });
    rows.push({ what, target, ...result });
    console.error(`${what}: ${result.ratio.toFixed(2)}`);
  };

  await add(
    "isolate -- true / deno run empty.js",
    [...mntns, "isolate", "--", "true"],
    baseline,
    "≤ 1.3",
  );
  await add("isolate -- true (source) / deno run empty.js", [
    ...source,
    "isolate",
    "--",
    "true",
  ], baseline);
  await add("isolate -- true / unshare -m true", [
    ...mntns,
    "isolate",
    "--",
    "true",
  ], ["unshare", "-m", "true"]);
  await add(
    "run -- true / deno run empty.js",
    [...mntns, "run", "--", "true"],
    baseline,
    "≤ 2.6",
  );
  await add(
    "run --init -- true / deno run empty.js",
    [...mntns, "run", "--init", "--", "true"],
    baseline,
    "≤ 3.3",
  );
  await add("run -- true (source) / deno run empty.js", [
    ...source,
    "run",
    "--",
    "true",
  ], baseline);
  await add(
    "run -- true / unshare -fmuipn --mount-proc true",
    [...mntns, "run", "--", "true"],
    ["unshare", "-fmuipn", "--mount-proc", "true"],
  );
  await add(
    "run's three processes, no work (bench_floor.ts) / deno run empty.js",
    [deno, "run", "-A", writeRunFloor(work)],
    baseline,
  );
  const bwrap = [
    "bwrap",
    "--bind",
    "/",
    "/",
    "--unshare-all",
    "--proc",
    "/proc",
    "--hostname",
    "mntns",
    "--die-with-parent",
    "--",
    "true",
  ];
  await add("run -- true / bwrap --unshare-all ... true", [
    ...mntns,
    "run",
    "--",
    "true",
  ], bwrap);
  await add("run --init -- true / bwrap --unshare-all ... true", [
    ...mntns,
    "run",
    "--init",
    "--",
    "true",
  ], bwrap);

  // Before this process's namespace fills with mounts: each new namespace
  // would copy them all.
  const namespaces = await benchNamespaces({ count: 100, runs: 5 });
  const nsMedian = median(namespaces.millis);

  // A throw-away mount namespace for this process and its children.
  throwawayNamespace();
  const dir = `${work}/mounts`;
  tmpfsAt(dir);
  Deno.mkdirSync(`${dir}/src`);
  const findmntList = ["findmnt", "-l", "-o", "TARGET,PROPAGATION"];
  const findmntTree = ["findmnt", "-o", "TARGET,PROPAGATION"];
  const showList = [...mntns, "propagation", "show", "--list"];
  const showTree = [...mntns, "propagation", "show"];

  addMounts(dir, 0, 2000);
  await add(
    "show (tree), 2,000 mounts / findmnt (tree)",
    showTree,
    findmntTree,
    "",
    5,
  );
  addMounts(dir, 2000, 20000);
  await benchShape({ name: "private", mntns, add });
  const rss = await peakRssMiB(showList);
  const treeRss = await peakRssMiB(showTree);
  const saved = `${work}/large.mountinfo`;
  repeatMountinfo(Deno.readTextFileSync("/proc/self/mountinfo"), {
    path: saved,
    bytes: 100 * 1000 * 1000,
  });
  const findmntRss = await peakRssMiB(findmntList);
  const list20k = await medianTime(showList, 7);
  const watched = await benchWatch({
    argv: [...mntns, "propagation", "watch"],
    dir: `${dir}/events`,
    events: PAIRS,
    idleMillis: 2000,
  });
  addMounts(dir, 20000, 40000);
  const list40k = await medianTime(showList, 7);
  rows.push({
    what: "show --list, 40,000 mounts / 20,000 mounts",
    ratio: list40k / list20k,
    a: list40k,
    b: list20k,
    target: "≤ 2.2",
  });

  // The 40,000 mounts go (findmnt's tree is quadratic in them); then a
  // deep stack, whose output is far larger than its mountinfo.
  umount2(dir, MNT_DETACH);
  const stackDir = `${work}/stacked`;
  stackMounts(stackDir, 10000);
  const stackTree = await timeAndPeak(showTree);
  const findmntStackTree = await timeAndPeak(findmntTree);
  umount2(stackDir, MNT_DETACH);
  const savedMiB = Deno.statSync(saved).size / 1024 / 1024;
  const savedList = await timeAndPeak([
    ...mntns,
    "propagation",
    "show",
    "--list",
    "--mountinfo",
    saved,
  ]);

  const shared = `${work}/shared`;
  makeSharedShape(shared);
  await benchShape({ name: "in one shared peer group", mntns, add });
  const sharedRss = await peakRssMiB(showList);
  const sharedTreeRss = await peakRssMiB(showTree);
  removeShape(shared);
  // Last: it leaves this process in a second namespace.
  const mix = `${work}/mix`;
  const masters = makeMixShape(mix);
  await benchShape({ name: "systemd-like mix", mntns, add });
  removeShape(mix);
  closeFd(masters);

  const table = renderTable({
    headers: ["WHAT (A / B)", "RATIO", "A ms", "B ms", "TARGET"],
    rows: rows.map((row) => [
      row.what,
      row.ratio.toFixed(2),
      row.a.toFixed(1),
      row.b.toFixed(1),
      row.target,
    ]),
  });
  const cpu =
    /model name\s*:\s*(.*)/.exec(Deno.readTextFileSync("/proc/cpuinfo"))?.[1] ??
      "?";
  console.log(
    `mntns bench — ${
      new Date().toISOString().slice(0, 10)
    }, ${navigator.hardwareConcurrency} cores (${cpu}), Linux ${Deno.osRelease()}, deno ${Deno.version.deno}; ${PAIRS} pairs, medians\n\n` +
      table +
      `\npeak RSS at 20,000 mounts: show --list ${
        rss.toFixed(1)
      } MiB, show (tree) ${treeRss.toFixed(1)} MiB (target ≤ 80; findmnt -l: ${
        findmntRss.toFixed(1)
      } MiB); in one shared peer group: show --list ${
        sharedRss.toFixed(1)
      } MiB, show (tree) ${sharedTreeRss.toFixed(1)} MiB\n` +
      `peers --all-namespaces with ${namespaces.namespaces} extra namespaces: median ${nsMedian} ms (target < 1000)\n` +
      `propagation watch at 20,000 mounts: mount(2) to its line, median ${
        median(watched.millis).toFixed(1)
      } ms (target ≤ 100); idle: ${watched.idleTicks} ticks of CPU time in ${
        watched.idleMillis / 1000
      } s (target 0)\n` +
      `show (tree) of 10,000 stacked mounts: ${stackTree.ms.toFixed(0)} ms, ${
        stackTree.mib.toFixed(0)
      } MiB (target ≤ 100 MiB); findmnt (tree): ${
        findmntStackTree.ms.toFixed(0)
      } ms, ${findmntStackTree.mib.toFixed(0)} MiB\n` +
      `show --list --mountinfo of a ${
        savedMiB.toFixed(0)
      } MiB mountinfo (the one at 20,000 mounts, repeated): ${
        savedList.ms.toFixed(0)
      } ms, ${savedList.mib.toFixed(0)} MiB (target ≤ ${
        (2 * savedMiB).toFixed(0)
      } MiB, twice the file)`,
  );
  Deno.removeSync(work, { recursive: true });
}

if (import.meta.main) await main();
