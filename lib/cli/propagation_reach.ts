/**
 * `mntns propagation reach PATH`: every (namespace, mount point) where a
 * mount made at PATH would appear, and where it would not, and why.
 *
 * @module
 */

import { displayText } from "../bytes.ts";
import {
  NAMESPACE_OPTIONS,
  parseCommandLine,
  sourceFromOptions,
} from "./options.ts";
import { UsageError } from "../errors.ts";
import { canonicalPath } from "../system/mount_source.ts";
import { readNamespaces } from "../system/namespaces.ts";
import { type Placement, predictReach } from "../mount/reach.ts";
import { renderTable } from "./table.ts";
import { writeOut } from "./output.ts";

const COMMAND = "mntns propagation reach";

/** Help for `mntns propagation reach`. */
export const REACH_HELP =
  `Usage: mntns propagation reach PATH [--pid N | --ns FILE] [--all-namespaces] [--json]

Predict where a mount made at PATH would appear: the peers of the mount PATH
lives on, their slaves, the peers and slaves of shared slaves, recursively,
wherever the receiving mount's root holds the path. Also name the mounts of
the same filesystem that would get nothing, and why (private, unbindable, a
slave that never sends, a bind of another subdirectory).

Options:
  --pid N              PATH is in the mount namespace of process N
  --ns FILE            PATH is in the mount namespace kept at FILE
                       ('mntns isolate --mount=FILE'; a relative PATH starts
                       at its root)
  --all-namespaces     follow the event into every mount namespace
  --json               JSON: {"path","mount":{id,target,ns},
                       "reaches":[{ns,pid,mountId,target}],
                       "misses":[{ns,pid,mountId,target,reason}]}
  -h, --help           show this help
`;

function placeCells(place: Placement): string[] {
  return [
    String(place.ns),
    place.pid === null ? "-" : String(place.pid),
    String(place.mountId),
    place.target,
  ];
}

/**
 * Runs `mntns propagation reach`; returns the exit status.
 *
 * @example
 * ```ts
 * reachCommand(["/mnt/x", "--all-namespaces"]);
 * ```
 */
export function reachCommand(args: readonly string[]): number {
  const parsed = parseCommandLine({
    args,
    options: NAMESPACE_OPTIONS,
    command: COMMAND,
    positionals: true,
    help: REACH_HELP,
  });
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? "expected PATH" : "expected one PATH",
      COMMAND,
    );
  }
  if (positionals[0] === "") {
    throw new UsageError("PATH is empty: name a file or directory", COMMAND);
  }
  const source = sourceFromOptions(values, COMMAND);
  const path = canonicalPath(positionals[0], source);
  const namespaces = readNamespaces({
    source,
    all: values["all-namespaces"] === true,
  });
  const prediction = predictReach({ namespaces, path });
  if (values.json) {
    writeOut(JSON.stringify(prediction) + "\n");
    return 0;
  }
  const { mount } = prediction;
  let text =
    `a mount at ${displayText(path)} (on mount ${mount.id} at ${
      displayText(mount.target)
    }, ns ${mount.ns}) appears at:\n` +
    renderTable({
      headers: ["NS", "PID", "MOUNT", "TARGET"],
      rows: prediction.reaches.map(placeCells),
    });
  if (prediction.misses.length > 0) {
    text += "and not at:\n" +
      renderTable({
        headers: ["NS", "PID", "MOUNT", "TARGET", "REASON"],
        rows: prediction.misses.map((
          miss,
        ) => [...placeCells(miss), miss.reason]),
      });
  }
  writeOut(text);
  return 0;
}
