/**
 * `mntns propagation check [ROOTFS...]`: warn about propagation hazards;
 * exit 1 when there is one.
 *
 * @module
 */

import {
  NAMESPACE_OPTIONS,
  parseCommandLine,
  sourceFromOptions,
} from "./options.ts";
import { canonicalPath } from "../system/mount_source.ts";
import { allNamespaces, callerNamespace } from "../system/namespaces.ts";
import { findHazards } from "../mount/hazards.ts";
import { renderTable } from "./table.ts";
import { writeOut } from "./output.ts";

const COMMAND = "mntns propagation check";

/** Help for `mntns propagation check`. */
export const CHECK_HELP =
  `Usage: mntns propagation check [ROOTFS...] [--pid N | --ns FILE] [--all-namespaces] [--json]

Warn about propagation hazards, in this mount namespace (or --pid N's, or
the one kept at --ns FILE):
  - / is shared: a new namespace that mounts without making itself private
    first leaks its mounts into this one, and pivot_root fails;
  - a would-be root filesystem ROOTFS whose parent mount is shared, that is
    shared itself, or that is not a mount point: pivot_root fails;
  - a slave whose master group exists in no process's mount namespace (every
    namespace is read for this; --all-namespaces checks the slaves of every
    namespace too).
Exit status 0 when there is nothing to warn about, 1 when there is.

Options:
  --pid N              check the mount namespace of process N
  --ns FILE            check the mount namespace kept at FILE
                       ('mntns isolate --mount=FILE')
  --all-namespaces     look for orphaned slaves in every mount namespace
  --json               JSON: {"hazards":[{kind,ns,pid,target,message}]}
  -h, --help           show this help
`;

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
    options: NAMESPACE_OPTIONS,
    command: COMMAND,
    positionals: true,
    help: CHECK_HELP,
  });
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  const source = sourceFromOptions(values, COMMAND);
  const rootfs = positionals.map((path) => canonicalPath(path, source));
  const hazards = findHazards({
    namespaces: allNamespaces(callerNamespace(source)),
    rootfs,
    allNamespaces: values["all-namespaces"] === true,
  });
  if (values.json) {
    writeOut(JSON.stringify({ hazards }) + "\n");
  } else if (hazards.length === 0) {
    writeOut("no propagation hazards\n");
  } else {
    writeOut(renderTable({
      headers: ["KIND", "NS", "PID", "WARNING"],
      rows: hazards.map((hazard) => [
        hazard.kind,
        String(hazard.ns),
        hazard.pid === null ? "-" : String(hazard.pid),
        hazard.message,
      ]),
    }));
  }
  return hazards.length === 0 ? 0 : 1;
}
