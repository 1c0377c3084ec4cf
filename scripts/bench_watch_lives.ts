/**
 * Benchmark: how short a namespace's life `propagation watch
 * --all-namespaces` still catches. In a throw-away mount namespace of this
 * process, with a watcher running (`--json`, on a tmpfs of its own), it
 * makes namespaces that mount a tmpfs first thing and then live a given
 * time more: `unshare -m sh -c 'mount ...; sleep S'` for each S, and
 * `unshare -m --propagation unchanged mount ...`, whose namespace ends as
 * soon as `mount` does (its only exec event is `mount`'s own). The kinds
 * take turns, in a shuffled order each round, one namespace at a time. A
 * row gives, per kind, the share of namespaces whose mount the watcher
 * reported, and how many of those it reported late (found after the
 * mount).
 *
 * Run alone, as root: `deno run -A scripts/bench_watch_lives.ts [TRIALS]
 * [WATCHER...]` (100 of each kind; this checkout's main.ts). A WATCHER is
 * the path of a mntns main.ts, after the words of a command that runs it
 * if any (`"chrt -f 10 main.ts"`); several run side by side on
 * the same namespaces, a column each. The machine's other
 * processes are watched too: say the load beside the figures.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { MNT_DETACH } from "../ffi/constants.ts";
import { umount2 } from "../ffi/syscalls.ts";
import { waitingInPoll } from "./bench_watch.ts";
import { throwawayNamespace, tmpfsAt } from "./bench_shapes.ts";

/** The binding of libc, for a namespace made without an exec. */
const FFI = new URL("../ffi", import.meta.url).href;

/** The lives tried after the mount, in seconds, as `sleep` takes them. */
const LIVES = ["0", "0.001", "0.005", "0.02", "0.05", "0.2"];

/** A kind of namespace: its name in the table and the words that make one. */
interface Kind {
  name: string;
  argv: (source: string, target: string) => string[];
}

const KINDS: Kind[] = [
  {
    name: "unshare -m --mount-proc=T true (mount before the exec)",
    argv: (_, target) => [
      "unshare",
      "-m",
      "--propagation",
      "unchanged",
      `--mount-proc=${target}`,
      "true",
    ],
  },
  {
    name: "unshare -m mount (no exec after)",
    argv: (source, target) => [
      "unshare",
      "-m",
      "--propagation",
      "unchanged",
      "mount",
      "-t",
      "tmpfs",
      source,
      target,
    ],
  },
  ...LIVES.map((life): Kind => ({
    name: `unshare -m sh -c 'mount; sleep ${life}'`,
    argv: (source, target) => [
      "unshare",
      "-m",
      "sh",
      "-c",
      `mount -t tmpfs ${source} ${target}; sleep ${life}`,
    ],
  })),
  {
    name: "no exec in it (a Deno script: unshare, mount, sleep 0.2)",
    argv: (source, target) => [
      Deno.execPath(),
      "eval",
      `import { CLONE } from "${FFI}/constants.ts";
import { mount, unshare } from "${FFI}/syscalls.ts";
unshare(CLONE.NEWNS);
mount({ source: "${source}", target: "${target}", fstype: "tmpfs", flags: 0 });
await new Promise((resolve) => setTimeout(resolve, 200));`,
    ],
  },
];

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** A shuffled copy of `items` (Fisher–Yates). */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

/**
 * What a watcher said: of the mounts made (mount point → late), how many
 * namespaces holding the bench's tmpfs appeared (the namespaces made), and
 * its warnings.
 */
function reported(
  output: string,
): { mounts: Map<string, boolean>; appeared: number; warnings: string[] } {
  const found = {
    mounts: new Map<string, boolean>(),
    appeared: 0,
    warnings: [] as string[],
  };
  for (const line of output.split("\n")) {
    if (line === "") continue;
    const event = JSON.parse(line);
    if (event.event === "mount") found.mounts.set(event.target, event.late);
    if (event.event === "warning") found.warnings.push(event.detail);
    if (event.event === "namespace" && event.change === "appeared") {
      found.appeared++;
    }
  }
  return found;
}

/** The share of `part` in `whole`, as a percentage. */
function percent(part: number, whole: number): string {
  return `${(100 * part / whole).toFixed(0)} %`;
}

/**
 * Starts a watcher of `work`: `--all-namespaces --json` of the mntns whose
 * main.ts is the last word of `spec`, run by the words before it (`chrt -f
 * 10`, `nice -n -20`: commands that exec what follows), if any.
 */
function startWatcher(spec: string, work: string): Deno.ChildProcess {
  const words = spec.split(" ");
  const main = words.pop()!;
  const [command, ...args] = [...words, Deno.execPath()];
  return new Deno.Command(command, {
    args: [
      ...args,
      "run",
      "-A",
      main,
      "propagation",
      "watch",
      "--all-namespaces",
      "--json",
      work,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
}

async function main(trials: number, specs: readonly string[]): Promise<void> {
  const work = Deno.makeTempDirSync({ prefix: "mntns-bench-lives-" });
  throwawayNamespace();
  tmpfsAt(work);
  const pointOf = (kind: number, round: number): string =>
    `${work}/k${kind}-${round}`;
  const watchers = specs.map((spec) => startWatcher(spec, work));
  const outputs = watchers.map((watcher) => watcher.output());
  const load = Deno.readTextFileSync("/proc/loadavg").split(" ")[0];
  try {
    for (const watcher of watchers) await waitingInPoll(watcher.pid);
    for (let round = 0; round < trials; round++) {
      for (const kind of shuffled(KINDS)) {
        const target = pointOf(KINDS.indexOf(kind), round);
        Deno.mkdirSync(target);
        const argv = kind.argv(`lives-${round}`, target);
        await new Deno.Command(argv[0], {
          args: argv.slice(1),
          stdin: "null",
          stdout: "null",
        }).output();
        await sleep(10);
      }
    }
    await sleep(3000);
  } finally {
    for (const watcher of watchers) watcher.kill("SIGINT");
  }
  const found = (await Promise.all(outputs)).map((output) =>
    reported(new TextDecoder().decode(output.stdout))
  );
  const loadAfter = Deno.readTextFileSync("/proc/loadavg").split(" ")[0];
  console.log(
    `${trials} namespaces of each kind, one at a time; load average ${load} before, ${loadAfter} after`,
  );
  console.log(
    ["kind", ...specs.map((spec) => `${spec}: reported (late)`)].join(" | "),
  );
  KINDS.forEach((kind, index) => {
    const cells = found.map((reports) => {
      let seen = 0;
      let late = 0;
      for (let round = 0; round < trials; round++) {
        const was = reports.mounts.get(pointOf(index, round));
        if (was === undefined) continue;
        seen++;
        if (was) late++;
      }
      return `${percent(seen, trials)} (${late})`;
    });
    console.log([kind.name, ...cells].join(" | "));
  });
  specs.forEach((spec, index) => {
    console.log(
      `${spec}: ${found[index].appeared} namespaces appeared, of ${
        trials * KINDS.length
      } made`,
    );
    for (const warning of found[index].warnings) {
      console.log(`${spec}: warning: ${warning}`);
    }
  });
  umount2(work, MNT_DETACH);
  Deno.removeSync(work, { recursive: true });
}

if (import.meta.main) {
  const [trials, ...specs] = Deno.args;
  await main(
    Number(trials ?? "100"),
    specs.length > 0
      ? specs
      : [fileURLToPath(new URL("../main.ts", import.meta.url))],
  );
}
