/**
 * What `mntns run` keeps while its command runs: the wait stage (mntns's
 * own pid) and, with `--init`, mntns as PID 1 of the new namespace. Each is
 * a Deno process; before its long wait it drops the pages of the deno
 * binary that only starting needed. Memory, not time: the times are in
 * `deno task bench`.
 */
import assert from "node:assert/strict";
import { MNTNS } from "./under_test.ts";
import { rootTest } from "./namespaces.ts";

const MIB = 1024;

function delay(millis: number): Promise<void> {
  return new Promise((done) => setTimeout(done, millis));
}

/** A line of `/proc/PID/status` in kB (VmRSS, RssAnon). */
function statusKib(pid: number, field: string): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status)![1]);
}

/** The children of a process (of its main thread, where mntns starts them). */
function childrenOf(pid: number): number[] {
  return Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim()
    .split(" ").filter(Boolean).map(Number);
}

function commandOf(pid: number): string {
  return Deno.readTextFileSync(`/proc/${pid}/cmdline`).replaceAll("\0", " ");
}

/** A waiting mntns process: its hidden stage's name, its memory in kB. */
interface StageMemory {
  command: string;
  rss: number;
  anon: number;
}

/**
 * Starts `mntns run WORDS -- sleep 30`, waits until the sleep runs and a
 * second more, and gives the resident memory (kB) of each mntns process
 * between mntns's pid and the sleep, from the top, once `fits` accepts it
 * or, on a loaded machine, after ten seconds more.
 */
async function waitingMemory(
  words: readonly string[],
  fits: (memory: StageMemory[]) => boolean,
): Promise<StageMemory[]> {
  const child = new Deno.Command(MNTNS[0], {
    args: [...MNTNS.slice(1), "run", ...words, "--", "sleep", "30"],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    const chain = [child.pid];
    for (let tries = 0; tries < 600; tries++) {
      const last = chain[chain.length - 1];
      if (commandOf(last).startsWith("sleep ")) break;
      const [next] = childrenOf(last);
      if (next !== undefined && commandOf(next) !== "") chain.push(next);
      else await delay(50);
    }
    const stages = chain.slice(0, -1);
    assert.match(commandOf(chain[chain.length - 1]), /^sleep 30/);
    const measure = (): StageMemory[] =>
      stages.map((pid) => ({
        command: commandOf(pid).split(" ").find((word) =>
          word.startsWith("__mntns")
        ) ?? commandOf(pid),
        rss: statusKib(pid, "VmRSS"),
        anon: statusKib(pid, "RssAnon"),
      }));
    await delay(1000);
    let memory = measure();
    for (let tries = 0; tries < 20 && !fits(memory); tries++) {
      await delay(500);
      memory = measure();
    }
    return memory;
  } finally {
    child.kill("SIGTERM");
    await child.output();
  }
}

function shown(memory: StageMemory[]): string {
  return memory.map((stage) =>
    `${stage.command}: ${(stage.rss / MIB).toFixed(1)} MiB resident (${
      (stage.anon / MIB).toFixed(1)
    } MiB anonymous)`
  ).join("; ");
}

const WAIT_BOUND = 32 * MIB;
const INIT_BOUND = 64 * MIB;

function total(memory: StageMemory[]): number {
  return memory.reduce((sum, stage) => sum + stage.rss, 0);
}

rootTest(
  "run -- sleep: the waiting mntns holds at most 32 MiB resident",
  async () => {
    const memory = await waitingMemory(
      [],
      (memory) => memory[0].rss <= WAIT_BOUND,
    );
    assert.equal(memory.length, 1, shown(memory));
    assert.equal(memory[0].command, "__mntns-run-wait", shown(memory));
    assert.ok(memory[0].rss <= WAIT_BOUND, shown(memory));
  },
);

rootTest(
  "run --init -- sleep: the two waiting mntns processes hold at most 64 MiB resident together",
  async () => {
    const memory = await waitingMemory(
      ["--init"],
      (memory) => memory[0].rss <= WAIT_BOUND && total(memory) <= INIT_BOUND,
    );
    assert.deepEqual(
      memory.map((stage) => stage.command),
      ["__mntns-run-wait", "__mntns-run-stage"],
      shown(memory),
    );
    assert.ok(memory[0].rss <= WAIT_BOUND, shown(memory));
    assert.ok(total(memory) <= INIT_BOUND, shown(memory));
  },
);
