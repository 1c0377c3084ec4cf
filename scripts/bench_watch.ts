/**
 * Benchmark: how soon a watcher prints a mount event, and what it costs
 * while nothing happens. In the caller's mount namespace (bench.ts's
 * throw-away one, or with this file run alone, one of its own with MOUNTS
 * bind mounts), it starts the watcher, waits until it waits in poll(2),
 * reads its CPU time (utime + stime) over an idle stretch, with how often
 * it was woken and how many execs the machine made meanwhile (each wakes an
 * `--all-namespaces` watcher, as root), then mounts a
 * tmpfs EVENTS times and times each `mount(2)` call to the watcher's line
 * for it.
 *
 * Run alone, as root: `deno run -A scripts/bench_watch.ts [MOUNTS] [EVENTS]
 * [NAMESPACES] [--findmnt]` (20,000, 21 and 200): `propagation watch`, then
 * `propagation watch --all-namespaces` with NAMESPACES more namespaces
 * (each `unshare -m sleep`, started before the MOUNTS are made, so they
 * hold the caller's mounts, not the MOUNTS), and with `--findmnt` `findmnt --poll`
 * too (its table diff is quadratic: about 0.6 s an event at 2,000 mounts
 * here, so not at 20,000).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { MNT_DETACH } from "../ffi/constants.ts";
import { closeFd } from "../ffi/fds.ts";
import { openProcessEvents, readProcessEvents } from "../ffi/process_events.ts";
import { mount, umount2 } from "../ffi/syscalls.ts";
import { median } from "./median.ts";
import { bind, throwawayNamespace, tmpfsAt } from "./bench_shapes.ts";

/** What one watcher did. */
export interface WatchBench {
  /** Milliseconds from each mount call to the watcher's line for it. */
  millis: number[];
  /** Clock ticks (1/100 s) of CPU time over the idle stretch. */
  idleTicks: number;
  /** The idle stretch, in milliseconds. */
  idleMillis: number;
  /** How often the watcher was woken over the idle stretch (its voluntary context switches). */
  idleWakeups: number;
  /** How many execs the machine made over the idle stretch (null: not heard, not root). */
  machineExecs: number | null;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

function cpuTicks(pid: number): number {
  const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]
    .split(" ");
  // utime and stime are fields 14 and 15 of stat; 12 and 13 after ") ".
  return Number(fields[11]) + Number(fields[12]);
}

function wakeups(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(status)?.[1]);
}

/** A process events socket counting the machine's execs, or null without root. */
function execCounter(): { count: () => number; close: () => void } | null {
  let fd: number;
  try {
    fd = openProcessEvents(Deno.osRelease());
  } catch {
    return null;
  }
  return {
    count: () => readProcessEvents(fd).execs.length,
    close: () => closeFd(fd),
  };
}

/**
 * Waits (up to about 10 s) until process `pid` waits in poll(2).
 *
 * @example
 * ```ts
 * const child = new Deno.Command("findmnt", { args: ["--poll"] }).spawn();
 * await waitingInPoll(child.pid);
 * ```
 */
export async function waitingInPoll(pid: number): Promise<void> {
  for (let tries = 0; tries < 1000; tries++) {
    const wchan = Deno.readTextFileSync(`/proc/${pid}/wchan`);
    if (wchan.includes("poll_schedule_timeout")) return;
    await sleep(10);
  }
  throw new Error(`the watcher (pid ${pid}) never waited in poll`);
}

/**
 * Starts `argv` (a watcher that prints a line per mount event, with its
 * mount point), measures its idle CPU time over `idleMillis`, then mounts
 * `events` tmpfs below `dir` one by one and times each to its line. The
 * mounts are undone; the watcher gets SIGINT.
 *
 * @example
 * ```ts
 * const result = await benchWatch({
 *   argv: ["findmnt", "--poll", "-o", "TARGET,ACTION"],
 *   dir: "/tmp/scratch",
 *   events: 11,
 *   idleMillis: 2000,
 * });
 * ```
 */
export async function benchWatch(
  options: {
    argv: readonly string[];
    dir: string;
    events: number;
    idleMillis: number;
  },
): Promise<WatchBench> {
  const child = new Deno.Command(options.argv[0], {
    args: options.argv.slice(1),
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream())
    .getReader();
  let seen = "";
  const lineWith = async (marker: string): Promise<void> => {
    while (!seen.includes(marker)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the watcher ended before '${marker}'`);
      seen += value;
    }
    seen = seen.slice(seen.indexOf(marker) + marker.length);
  };
  const made: string[] = [];
  try {
    await waitingInPoll(child.pid);
    const execs = execCounter();
    execs?.count();
    const before = cpuTicks(child.pid);
    const woken = wakeups(child.pid);
    await sleep(options.idleMillis);
    const idleTicks = cpuTicks(child.pid) - before;
    const idleWakeups = wakeups(child.pid) - woken;
    const machineExecs = execs?.count() ?? null;
    execs?.close();
    const millis: number[] = [];
    for (let index = 0; index < options.events; index++) {
      const target = `${options.dir}/watch-${index}`;
      Deno.mkdirSync(target, { recursive: true });
      const start = performance.now();
      mount({ source: "event", target, fstype: "tmpfs", flags: 0 });
      made.push(target);
      await lineWith(`${target} `);
      millis.push(performance.now() - start);
    }
    return {
      millis,
      idleTicks,
      idleMillis: options.idleMillis,
      idleWakeups,
      machineExecs,
    };
  } finally {
    for (const target of made) umount2(target, MNT_DETACH);
    child.kill("SIGINT");
    await reader.cancel();
    await child.status;
  }
}

/**
 * `propagation watch` (and `findmnt --poll`) with `mounts` bind mounts in
 * a throw-away mount namespace of this process.
 */
async function main(
  options: {
    mounts: number;
    events: number;
    namespaces: number;
    findmnt: boolean;
  },
): Promise<void> {
  const { mounts, events } = options;
  const work = Deno.makeTempDirSync({ prefix: "mntns-bench-watch-" });
  const sleepers = Array.from(
    { length: options.namespaces },
    () =>
      new Deno.Command("unshare", {
        args: ["-m", "sleep", "3600"],
        stdin: "null",
      }).spawn(),
  );
  throwawayNamespace();
  tmpfsAt(work);
  Deno.mkdirSync(`${work}/src`);
  for (let i = 0; i < mounts; i++) bind(`${work}/src`, `${work}/m${i}`);
  const main = fileURLToPath(new URL("../main.ts", import.meta.url));
  const mntns = [Deno.execPath(), "run", "-A", main];
  const watchers: [string, string[]][] = [
    ["mntns propagation watch", [...mntns, "propagation", "watch"]],
    [
      `mntns propagation watch --all-namespaces (${options.namespaces} more namespaces)`,
      [...mntns, "propagation", "watch", "--all-namespaces"],
    ],
  ];
  if (options.findmnt) {
    watchers.push(["findmnt --poll", [
      "findmnt",
      "--poll",
      "-o",
      "TARGET,ACTION",
    ]]);
  }
  for (const [name, argv] of watchers) {
    const result = await benchWatch({
      argv,
      dir: `${work}/events`,
      events,
      idleMillis: 5000,
    });
    console.log(
      `${name}, ${mounts} mounts: mount → line median ${
        median(result.millis).toFixed(1)
      } ms (min ${Math.min(...result.millis).toFixed(1)}, max ${
        Math.max(...result.millis).toFixed(1)
      }, ${events} events); idle: ${result.idleTicks} ticks of CPU in ${
        result.idleMillis / 1000
      } s, woken ${result.idleWakeups} times while the machine made ${
        result.machineExecs ?? "?"
      } execs`,
    );
  }
  for (const sleeper of sleepers) sleeper.kill("SIGKILL");
  await Promise.all(sleepers.map((sleeper) => sleeper.status));
  umount2(work, MNT_DETACH);
  Deno.removeSync(work, { recursive: true });
}

if (import.meta.main) {
  const numbers = Deno.args.filter((word) => word !== "--findmnt");
  await main({
    mounts: Number(numbers[0] ?? "20000"),
    events: Number(numbers[1] ?? "21"),
    namespaces: Number(numbers[2] ?? "200"),
    findmnt: Deno.args.includes("--findmnt"),
  });
}
