/**
 * The oracle of `propagation reach`: a topology script in a throw-away
 * namespace, reach's prediction, then a real mount and where the kernel put
 * its copies.
 *
 * @module
 */

import { inScratchNamespace, NAMESPACE_FUNCTIONS } from "./namespaces.ts";

/** Where a mount event was predicted to go and where it went. */
export interface ReachObservation {
  /** `reach --json` as printed. */
  prediction: {
    path: string;
    mount: { id: number; target: string; ns: number };
    reaches: { ns: number; pid: number; mountId: number; target: string }[];
    misses: {
      ns: number;
      pid: number;
      mountId: number;
      target: string;
      reason: string;
    }[];
  };
  /** `NS MOUNT-ID TARGET` of each predicted place, sorted. */
  predicted: string[];
  /** `NS PARENT-ID TARGET` of each mount that appeared, sorted. */
  observed: string[];
  /** The script's processes (itself and its sleepers) and their namespaces. */
  processes: { pid: number; ns: number }[];
  /** The whole script, for reproducing a failure. */
  script: string;
}

function mountsByNamespace(
  snapshot: string,
): Map<number, { pid: number; lines: string[] }> {
  const found = new Map<number, { pid: number; lines: string[] }>();
  let current: string[] = [];
  for (const line of snapshot.split("\n")) {
    const header = /^@ns mnt:\[(\d+)\] (\d+)$/.exec(line);
    if (header) {
      current = [];
      found.set(Number(header[1]), { pid: Number(header[2]), lines: current });
    } else if (line !== "") current.push(line);
  }
  return found;
}

/** What a failed setup command of a topology script left. */
export interface SetupFailureDetails {
  /** The setup line it is on, counting from 1. */
  line: number;
  /** That line's text. */
  text: string;
  /** What the command printed on stderr. */
  stderr: string;
}

/**
 * A setup command of a topology script (a `step`) failed: the topology is
 * not the one the test meant, so nothing it predicts is checked.
 *
 * @example
 * ```ts
 * new SetupFailure({ line: 2, text: "step 0 umount -l $T/a", stderr: "umount: not mounted." }).message;
 * // "setup failed: line 2: step 0 umount -l $T/a\n--- stderr\numount: not mounted."
 * ```
 */
export class SetupFailure extends Error {
  /** Where it failed and what the command said. */
  readonly details: SetupFailureDetails;

  /** A failure of the command on `details.line`. */
  constructor(details: SetupFailureDetails) {
    super(
      `setup failed: line ${details.line}: ${details.text}\n--- stderr\n${details.stderr}`,
    );
    this.name = "SetupFailure";
    this.details = details;
  }
}

/**
 * Runs a topology script (with {@linkcode NAMESPACE_FUNCTIONS}) in a scratch
 * namespace, then asks `mntns propagation reach --json --all-namespaces`
 * about `path` in the namespace of pid `ns` (`0`: the scratch one, else a
 * shell word like `$p1`), mounts a tmpfs there, and reports which
 * (namespace, mount, target) got a new mount. Throws a
 * {@linkcode SetupFailure} when a `step` of `setup` fails, and an `Error`
 * when anything else in the script fails.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const seen = await observeReach({ setup: "mkdir $T/x", ns: "0", path: "$T/x" });
 * assert.deepEqual(seen.observed, seen.predicted);
 * ```
 */
export async function observeReach(
  options: { setup: string; ns: string; path: string },
): Promise<ReachObservation> {
  const { setup, ns, path } = options;
  const pidOption = ns === "0" ? "" : `--pid ${ns}`;
  const script = `${NAMESPACE_FUNCTIONS}setup_line=$LINENO
${setup}
inns ${ns} mkdir -p ${path}
echo '@@before'; snap
echo '@@reach'; mntns propagation reach --json --all-namespaces ${pidOption} ${path}
inns ${ns} mount -t tmpfs EVENT ${path}
echo '@@after'; snap`;
  const outcome = await inScratchNamespace(script);
  const failed = /^@@setup-failed (\d+)\n([\s\S]*?)\n?@@end$/m.exec(
    outcome.stderr,
  );
  if (failed !== null) {
    const line = Number(failed[1]);
    throw new SetupFailure({
      line,
      text: setup.split("\n")[line - 1]?.trim() ?? "(not a setup line)",
      stderr: failed[2],
    });
  }
  if (outcome.code !== 0) {
    throw new Error(
      `the script failed with exit ${outcome.code}:\n${script}\n--- stderr\n${outcome.stderr}`,
    );
  }
  const [, before, reach, after] = outcome.stdout.split(/^@@\w+\n/m);
  const prediction: ReachObservation["prediction"] = JSON.parse(reach);
  const beforeMounts = mountsByNamespace(before);
  const observed: string[] = [];
  for (const [inode, { lines }] of mountsByNamespace(after)) {
    const old = new Set(
      (beforeMounts.get(inode)?.lines ?? []).map((line) => line.split(" ")[0]),
    );
    for (const line of lines) {
      const [id, parent, , , target] = line.split(" ");
      if (!old.has(id)) observed.push(`${inode} ${parent} ${target}`);
    }
  }
  return {
    prediction,
    predicted: prediction.reaches.map((place) =>
      `${place.ns} ${place.mountId} ${place.target}`
    ).sort(),
    observed: observed.sort(),
    processes: [...beforeMounts].map(([ns, { pid }]) => ({ pid, ns })),
    script,
  };
}
