/**
 * `mntns propagation reach PATH`: every (namespace, mount point) where a
 * mount made at PATH would appear, and where it would not, and why.
 *
 * @module
 */

import type { CommandSpec } from "./command_spec.ts";
import { displayText } from "../bytes.ts";
import { parseCommandLine, sourceFromOptions } from "./options.ts";
import { UsageError } from "../errors.ts";
import { canonicalPath } from "../system/mount_source.ts";
import { readNamespaces } from "../system/namespaces.ts";
import { type Miss, type Placement, predictReach } from "../mount/reach.ts";
import { type Column, columnTable, namespaceColumns } from "./columns.ts";
import { listingStyle, nsOption, pidOption } from "./output_options.ts";
import { renderTable } from "./table.ts";
import { COLOR_OPTION } from "./color.ts";
import { writeOut } from "./output.ts";

const COMMAND = "mntns propagation reach";

/** `mntns propagation reach`: its options and help. */
export const REACH_SPEC = {
  usage: "mntns propagation reach PATH [options]",
  about: [{
    paragraph:
      `Predict where a mount made at PATH would appear: the peers of the mount PATH
lives on, their slaves, the peers and slaves of shared slaves, recursively,
wherever the receiving mount's root holds the path. Also name the mounts of
the same filesystem that would get nothing, and why (private, unbindable, a
slave that never sends, a bind of another subdirectory).`,
  }],
  optionWidth: 22,
  options: {
    ...pidOption("PATH is in the mount namespace of process N"),
    ...nsOption(
      `PATH is in the mount namespace kept at FILE
('mntns isolate --mount=FILE'; a relative PATH
starts at its root)`,
    ),
    "all-namespaces": {
      type: "boolean",
      help: "follow the event into every mount namespace",
    },
    raw: {
      type: "boolean",
      short: "r",
      help: `only the places it appears (NS PID MOUNT TARGET),
cells one space apart, and each space, backslash,
control and non-ASCII byte as \\xNN`,
    },
    noheadings: {
      type: "boolean",
      short: "n",
      help: "only the places it appears, without a header line",
    },
    json: {
      type: "boolean",
      short: "J",
      help: `JSON: {"path","mount":{id,target,ns},
"reaches":[{ns,pid,mountId,target}],
"misses":[{ns,pid,mountId,target,reason}]}`,
    },
    ...COLOR_OPTION,
  },
  after: [],
  operands: [{ placeholder: "PATH" }],
} as const satisfies CommandSpec;

const PLACE_COLUMNS: readonly Column<Placement>[] = [
  ...namespaceColumns((place: Placement) => place),
  {
    name: "MOUNT",
    align: "right",
    help: "the mount that receives (or misses) the event",
    key: "mountId",
    value: (place) => place.mountId,
  },
  {
    name: "TARGET",
    align: "left",
    help: "where the new mount appears; for a miss, the mount point",
    key: "target",
    value: (place) => place.target,
  },
];

const MISS_COLUMNS: readonly Column<Miss>[] = [
  ...PLACE_COLUMNS,
  {
    name: "REASON",
    align: "left",
    help: "why it gets nothing",
    key: "reason",
    value: (miss) => miss.reason,
  },
];

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
    spec: REACH_SPEC,
    command: COMMAND,
    positionals: true,
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
  const style = listingStyle(values, COMMAND);
  const source = sourceFromOptions(values, COMMAND);
  const path = canonicalPath(positionals[0], source);
  const namespaces = readNamespaces({
    source,
    all: values["all-namespaces"] === true,
  });
  const prediction = predictReach({ namespaces, path });
  if (style.json) {
    writeOut(JSON.stringify(prediction) + "\n");
    return 0;
  }
  const table = <T>(columns: readonly Column<T>[], rows: readonly T[]) =>
    renderTable(columnTable({ columns, rows, style, colorOf: null }));
  const reaches = table(PLACE_COLUMNS, prediction.reaches);
  if (!style.forPeople) {
    writeOut(reaches);
    return 0;
  }
  const { mount } = prediction;
  let text = `a mount at ${displayText(path)} (on mount ${mount.id} at ${
    displayText(mount.target)
  }, ns ${mount.ns}) appears at:\n${reaches}`;
  if (prediction.misses.length > 0) {
    text += "and not at:\n" + table(MISS_COLUMNS, prediction.misses);
  }
  writeOut(text);
  return 0;
}
