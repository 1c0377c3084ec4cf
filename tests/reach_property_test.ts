/**
 * The property: for random topologies (tmpfs mounts, binds of mounts and of
 * subdirectories, make-shared/slave/private/unbindable, new namespaces kept
 * alive by a sleeping process, each step in a random namespace), followed
 * by one mount at a random path in a random namespace, `propagation reach`
 * predicts exactly the (namespace, mount, target) where the mount appears.
 *
 * Every setup step is valid by construction, so a step that fails fails
 * the case; the test reports setup failures (`setup failed: seed N, line
 * L`) apart from wrong predictions (`prediction differs: seed N`).
 *
 * `REACH_SEED=N` starts at another seed, `REACH_CASES=N` runs N cases; a
 * failure prints its seed and the script that reproduces it.
 */
import assert from "node:assert/strict";
import { prng } from "./prng.ts";
import { mountNamespaceOf } from "../lib/system/namespaces.ts";
import { rootTest } from "./namespaces.ts";
import { observeReach, SetupFailure } from "./reach_oracle.ts";

const BASE_SEED = Number(Deno.env.get("REACH_SEED") ?? "20240601");
const CASES = Number(Deno.env.get("REACH_CASES") ?? "300");
const WORKERS = 3;

interface Case {
  setup: string;
  ns: string;
  path: string;
}

/**
 * What the generator knows of one namespace's mounts at the points it made,
 * so that every step it writes is valid there.
 */
interface Namespace {
  /** The namespace as the first word of a step: `0` or `$pN`. */
  name: string;
  /** Points certainly mounted here. */
  mounted: Set<string>;
  /**
   * Points that were mounted here, but an unmount made since (in any
   * namespace) may have taken them by propagation: an unmount propagates to the
   * copies of the mounts it takes wherever their parents receive from it,
   * which only the kernel's graph tells.
   */
  maybe: Set<string>;
  /** Points (and `$T`) made unbindable here and not made shared or private since. */
  unbindable: Set<string>;
}

/** A path equal to `point` or below it. */
function isAtOrBelow(path: string, point: string): boolean {
  return path === point || path.startsWith(`${point}/`);
}

/**
 * Whether `mount --bind PATH` is valid in `ns`: the mount PATH lives on is
 * not unbindable (else EINVAL). That mount is the deepest mount whose point
 * holds PATH; points in `maybe` may be gone, so any of them up to the
 * deepest certain one may be it. Mounts the generator did not make here
 * arrived by propagation, which never copies an unbindable mount.
 */
function isBindable(ns: Namespace, path: string): boolean {
  const holders = [...ns.mounted, ...ns.maybe, "$T"]
    .filter((point) => isAtOrBelow(path, point))
    .sort((a, b) => b.length - a.length);
  for (const point of holders) {
    if (ns.unbindable.has(point)) return false;
    if (!ns.maybe.has(point)) return true;
  }
  return true;
}

/**
 * The step that runs `command` on `point` in `ns`: a plain step when the
 * point is certainly mounted there; when an unmount may have taken it
 * (see {@linkcode Namespace.maybe}), only if it is still a mount point.
 */
function onPoint(ns: Namespace, point: string, command: string): string {
  return ns.maybe.has(point)
    ? `ifmount ${ns.name} ${point} ${command}`
    : `step ${ns.name} ${command}`;
}

/**
 * One random topology and event, as shell lines. Every step is valid in its
 * namespace (see {@linkcode Namespace}): a failing step fails the case.
 */
function generate(seed: number): Case {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(random() * items.length)];
  const namespaces: Namespace[] = [{
    name: "0",
    mounted: new Set(["$T/m0"]),
    maybe: new Set(),
    unbindable: new Set(),
  }];
  const points = ["$T/m0"];
  const lines = ["step 0 mkdir -p $T/m0", "step 0 mount -t tmpfs m0 $T/m0"];
  if (random() < 0.8) lines.push("step 0 mount --make-shared $T/m0");
  const steps = 2 + Math.floor(random() * 10);
  for (let k = 1; k <= steps; k++) {
    const ns = pick(namespaces);
    const here = [...ns.mounted, ...ns.maybe];
    const roll = random();
    if (roll < 0.15) {
      const target = `${pick(["$T", ...points])}/m${k}`;
      lines.push(
        `step ${ns.name} mkdir -p ${target}`,
        `step ${ns.name} mount -t tmpfs m${k} ${target}`,
      );
      points.push(target);
      ns.mounted.add(target);
    } else if (roll < 0.4) {
      const sources = points.filter((point) => isBindable(ns, point));
      if (sources.length === 0) continue;
      let source = pick(sources);
      if (random() < 0.4) source += `/s${k}`;
      const target = `${pick(["$T", ...points])}/b${k}`;
      lines.push(
        `step ${ns.name} mkdir -p ${source} ${target}`,
        `step ${ns.name} mount ${
          random() < 0.2 ? "--rbind" : "--bind"
        } ${source} ${target}`,
      );
      points.push(target);
      ns.mounted.add(target);
    } else if (roll < 0.45) {
      if (here.length === 0) continue;
      const point = pick(here);
      lines.push(onPoint(ns, point, `umount -l ${point}`));
      // It takes the point and, when the point surely was a mount point
      // here, every point mounted below it here; its propagation may take
      // any other point in any namespace.
      const certain = !ns.maybe.has(point);
      for (const other of namespaces) {
        for (const known of other.mounted) other.maybe.add(known);
        other.mounted.clear();
      }
      for (const known of ns.maybe) {
        if (known === point || (certain && isAtOrBelow(known, point))) {
          ns.maybe.delete(known);
        }
      }
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
      const target = random() < 0.1 || here.length === 0 ? "$T" : pick(here);
      lines.push(onPoint(ns, target, `mount --make-${mode} ${target}`));
      // --make-slave leaves an unbindable mount unbindable (6.18).
      if (mode === "unbindable") ns.unbindable.add(target);
      else if (mode !== "slave") ns.unbindable.delete(target);
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
      lines.push(`newns ${name} ${ns.name} ${mode}`);
      // A copy of the whole tree; --propagation shared or private makes
      // every mount of it bindable.
      const keeps = mode === "unchanged" || mode === "slave";
      namespaces.push({
        name: `$${name}`,
        mounted: new Set(ns.mounted),
        maybe: new Set(ns.maybe),
        unbindable: new Set(keeps ? ns.unbindable : []),
      });
    }
  }
  const base = random() < 0.1 ? "$T" : pick(points);
  return {
    setup: lines.join("\n"),
    ns: pick(namespaces).name,
    path: random() < 0.5 ? base : `${base}/e`,
  };
}

/** What went wrong in one case. */
interface Failure {
  /** `setup`: a setup step failed; `prediction`: reach was wrong; `run`: anything else. */
  kind: "setup" | "prediction" | "run";
  /** The seed, what failed, and the script that reproduces it. */
  report: string;
}

/** Runs one case; what went wrong, or null when the prediction holds. */
async function check(
  seed: number,
  made: { pid: number; ns: number }[],
): Promise<Failure | null> {
  const test = generate(seed);
  const reproduce =
    `--- the script (run with REACH_SEED=${seed} REACH_CASES=1):\n${test.setup}\nevent: mount -t tmpfs EVENT ${test.path} in namespace of ${test.ns}`;
  let seen;
  try {
    seen = await observeReach(test);
  } catch (error) {
    if (error instanceof SetupFailure) {
      const { line, text, stderr } = error.details;
      return {
        kind: "setup",
        report:
          `setup failed: seed ${seed}, line ${line}: ${text}\n--- stderr\n${stderr}\n${reproduce}`,
      };
    }
    return {
      kind: "run",
      report: `the case failed: seed ${seed}: ${(error as Error).message}`,
    };
  }
  made.push(...seen.processes);
  try {
    assert.deepEqual(seen.observed, seen.predicted);
    return null;
  } catch (error) {
    return {
      kind: "prediction",
      report:
        `prediction differs: seed ${seed}: where the mount appeared (+ actual) against the prediction (- expected): ${
          (error as Error).message
        }\n${reproduce}`,
    };
  }
}

rootTest(
  `reach predicts where a mount appears: ${CASES} random topologies`,
  async () => {
    const failures: Failure[] = [];
    const made: { pid: number; ns: number }[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < CASES) {
        const failure = await check(BASE_SEED + next++, made);
        if (failure !== null) failures.push(failure);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    const count = (kind: Failure["kind"]): number =>
      failures.filter((failure) => failure.kind === kind).length;
    assert.equal(
      failures.length,
      0,
      `${count("setup")} setups failed, ${
        count("prediction")
      } predictions differ, ${
        count("run")
      } cases failed otherwise, of ${CASES}:\n\n${
        failures.slice(0, 3).map((failure) => failure.report).join("\n\n")
      }`,
    );
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
