/**
 * `mntns propagation check [ROOTFS...]`: warn about propagation hazards;
 * exit 1 when there is one.
 *
 * @module
 */

import type { CommandSpec } from "./command_spec.ts";
import { parseCommandLine, sourceFromOptions } from "./options.ts";
import { canonicalPath } from "../system/mount_source.ts";
import { allNamespaces, callerNamespace } from "../system/namespaces.ts";
import { findHazards, type Hazard } from "../mount/hazards.ts";
import {
  type Column,
  columnTable,
  listingColors,
  namespaceColumns,
  selectColumns,
} from "./columns.ts";
import { COLOR_OPTION, SGR } from "./color.ts";
import {
  columnsHelp,
  listingStyle,
  NOHEADINGS_OPTION,
  nsOption,
  outputOption,
  pidOption,
  RAW_TABLE_OPTION,
} from "./output_options.ts";
import { renderTable } from "./table.ts";
import { writeOut } from "./output.ts";

const COMMAND = "mntns propagation check";

/** Every column `check` has, in the order its help lists them. */
const CHECK_COLUMNS: readonly Column<Hazard>[] = [
  {
    name: "KIND",
    align: "left",
    help: "shared-root, pivot-root or orphan-slave",
    key: "kind",
    value: (hazard) => hazard.kind,
    sgr: SGR.yellow,
  },
  ...namespaceColumns((hazard: Hazard) => hazard),
  {
    name: "TARGET",
    align: "left",
    help: "the mount point or path it concerns",
    key: "target",
    value: (hazard) => hazard.target,
  },
  {
    name: "WARNING",
    align: "left",
    help: "what is wrong and what to do",
    key: "message",
    value: (hazard) => hazard.message,
  },
];

const CHECK_DEFAULT_COLUMNS = ["KIND", "NS", "PID", "WARNING"];

/** `mntns propagation check`: its options, columns and help. */
export const CHECK_SPEC = {
  usage: "mntns propagation check [options] [ROOTFS...]",
  about: [[{
    paragraph:
      `Warn about propagation hazards, in this mount namespace (or --pid N's, or
the one kept at --ns FILE):`,
  }, {
    list: [
      `/ is shared: a new namespace that mounts without making itself private
first leaks its mounts into this one, and pivot_root fails;`,
      `a would-be root filesystem ROOTFS whose parent mount is shared, that is
shared itself, or that is not a mount point: pivot_root fails;`,
      `a slave whose master group exists in no process's mount namespace (every
namespace is read for this; --all-namespaces checks the slaves of every
namespace too).`,
    ],
  }, {
    paragraph:
      "Exit status 0 when there is nothing to warn about, 1 when there is.",
  }]],
  optionWidth: 22,
  options: {
    ...pidOption("check the mount namespace of process N"),
    ...nsOption(
      `check the mount namespace kept at FILE
('mntns isolate --mount=FILE')`,
    ),
    "all-namespaces": {
      type: "boolean",
      help: "look for orphaned slaves in every mount namespace",
    },
    ...outputOption(CHECK_COLUMNS, CHECK_DEFAULT_COLUMNS.join(",")),
    ...RAW_TABLE_OPTION,
    ...NOHEADINGS_OPTION,
    json: {
      type: "boolean",
      short: "J",
      help: 'JSON: {"hazards":[{kind,ns,pid,target,message}]}',
    },
    ...COLOR_OPTION,
  },
  after: [columnsHelp(CHECK_COLUMNS)],
  operands: [{ placeholder: "ROOTFS", repeated: true }],
} as const satisfies CommandSpec;

/**
 * Runs `mntns propagation check`; returns the exit status: 1 when it warns.
 *
 * @example
 * ```ts
 * checkCommand(["/srv/rootfs"]);
 * ```
 */
export function checkCommand(args: readonly string[]): number {
  const parsed = parseCommandLine({
    args,
    spec: CHECK_SPEC,
    command: COMMAND,
    positionals: true,
  });
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  const style = listingStyle(values, COMMAND);
  const columns = selectColumns({
    columns: CHECK_COLUMNS,
    defaults: CHECK_DEFAULT_COLUMNS,
    output: values.output,
    command: COMMAND,
  });
  const source = sourceFromOptions(values, COMMAND);
  const rootfs = positionals.map((path) => canonicalPath(path, source));
  const hazards = findHazards({
    namespaces: allNamespaces(callerNamespace(source)),
    rootfs,
    allNamespaces: values["all-namespaces"] === true,
  });
  if (style.json) {
    writeOut(JSON.stringify({ hazards }) + "\n");
  } else if (hazards.length === 0) {
    if (style.forPeople) writeOut("no propagation hazards\n");
  } else {
    writeOut(renderTable(columnTable({
      columns,
      rows: hazards,
      style,
      colorOf: listingColors(),
    })));
  }
  return hazards.length === 0 ? 0 : 1;
}
