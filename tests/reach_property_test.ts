/**
 * The property: for random topologies (tmpfs mounts, binds of mounts and of
 * subdirectories, make-shared/slave/private/unbindable, new namespaces kept
 * alive by a sleeping process, each step in a random namespace), followed
 * by one mount at a random path in a random namespace, `propagation reach`
 * predicts exactly the (namespace, mount, target) where the mount appears.
 *
 * `REACH_SEED=N` starts at another seed, `REACH_CASES=N` runs N cases; a
 * failure prints its seed and the script that reproduces it.
 */
import assert from "node:assert/strict";
import { mountNamespaceOf } from "../lib/system/namespaces.ts";
import { observeReach, rootTest } from "./helpers.ts";

const BASE_SEED = Number(Deno.env.get("REACH_SEED") ?? "20240601");
const CASES = Number(Deno.env.get("REACH_CASES") ?? "300");
const WORKERS = 3;

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  setup: string;
  ns: string;
  path: string;
}

/** One random topology and event, as shell lines. */
function generate(seed: number): Case {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(random() * items.length)];
  const namespaces = ["0"];
  const points = ["$T/m0"];
  const lines = ["step 0 mkdir -p $T/m0", "step 0 mount -t tmpfs m0 $T/m0"];
  if (random() < 0.8) lines.push("step 0 mount --make-shared $T/m0");
  const steps = 2 + Math.floor(random() * 10);
  for (let k = 1; k <= steps; k++) {
    const ns = pick(namespaces);
    const roll = random();
    if (roll < 0.15) {
      const target = `${pick(["$T", ...points])}/m${k}`;
      lines.push(
        `step ${ns} mkdir -p ${target}`,
        `step ${ns} mount -t tmpfs m${k} ${target}`,
      );
      points.push(target);
    } else if (roll < 0.4) {
      let source = pick(points);
      if (random() < 0.4) {
        source += `/s${k}`;
        lines.push(`step ${ns} mkdir -p ${source}`);
      }
      const target = `${pick(["$T", ...points])}/b${k}`;
      lines.push(
        `step ${ns} mkdir -p ${target}`,
        `step ${ns} mount ${
          random() < 0.2 ? "--rbind" : "--bind"
        } ${source} ${target}`,
      );
      points.push(target);
    } else if (roll < 0.45) {
      lines.push(`step ${ns} umount -l ${pick(points)}`);
    } else if (roll < 0.8 || namespaces.length >= 4) {
      const mode = pick([
        "shared",
        "shared",
        "shared",
        "shared",
        "slave",
        "slave",
        "private",
        "unbindable",
      ]);
      const target = random() < 0.1 ? "$T" : pick(points);
      lines.push(`step ${ns} mount --make-${mode} ${target}`);
    } else {
      const name = `p${namespaces.length}`;
      const mode = pick([
        "unchanged",
        "unchanged",
        "unchanged",
        "slave",
        "shared",
        "private",
      ]);
      lines.push(`newns ${name} ${ns} ${mode}`);
      namespaces.push(`$${name}`);
    }
  }
  const base = random() < 0.1 ? "$T" : pick(points);
  return {
    setup: lines.join("\n"),
    ns: pick(namespaces),
    path: random() < 0.5 ? base : `${base}/e`,
  };
}

/** Runs one case; a description of the failure, or null when it agrees. */
async function check(
  seed: number,
  made: { pid: number; ns: number }[],
): Promise<string | null> {
  const test = generate(seed);
  try {
    const seen = await observeReach(test);
    made.push(...seen.processes);
    assert.deepEqual(seen.observed, seen.predicted);
    return null;
  } catch (error) {
    return `seed ${seed}: where the mount appeared (+ actual) against the prediction (- expected): ${
      (error as Error).message
    }\n--- the script (run with REACH_SEED=${seed} REACH_CASES=1):\n${test.setup}\nevent: mount -t tmpfs EVENT ${test.path} in namespace of ${test.ns}`;
  }
}

rootTest(
  `reach predicts where a mount appears: ${CASES} random topologies`,
  async () => {
    const failures: string[] = [];
    const made: { pid: number; ns: number }[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < CASES) {
        const failure = await check(BASE_SEED + next++, made);
        if (failure !== null) failures.push(failure);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    assert.equal(failures.length, 0, failures.slice(0, 3).join("\n\n"));
    // Every process the cases started is gone, and with them their
    // namespaces (a pid and its namespace inode are reused only together
    // by chance).
    let left = made;
    for (let tries = 0; tries < 100 && left.length > 0; tries++) {
      await new Promise((done) => setTimeout(done, 50));
      left = left.filter((process) =>
        mountNamespaceOf(process.pid) === process.ns
      );
    }
    assert.deepEqual(left, [], "processes the test made are still running");
  },
);
