/**
 * `mntns propagation set MODE PATH [-r]`: change a mount's propagation, like
 * `mount --make-[r]MODE PATH`, and show it before and after.
 *
 * @module
 */

import { fileType } from "../../ffi/path_lookup.ts";
import { mount } from "../../ffi/syscalls.ts";
import { parseOptions } from "./options.ts";
import { CommandError, UsageError } from "../errors.ts";
import { mountAt } from "../mount/lookup.ts";
import { canonicalPath } from "../system/mount_source.ts";
import type { Mount } from "../mount/mountinfo.ts";
import {
  isPropagationMode,
  PROPAGATION_MODES,
  type PropagationMode,
  propagationOf,
} from "../mount/propagation.ts";
import { pathBelow } from "../mount/paths.ts";
import { renderTable } from "./table.ts";
import { writeOut } from "./output.ts";
import { readMountinfo } from "../system/read_mountinfo.ts";
import { propagationFlags } from "../exec/propagation_flags.ts";

const COMMAND = "mntns propagation set";

/** Help for `mntns propagation set`. */
export const SET_HELP = `Usage: mntns propagation set MODE PATH [-r|--recursive]

Change the propagation of the mount at PATH, like mount --make-[r]MODE PATH.
MODE is one of: ${PROPAGATION_MODES.join(", ")}.
Prints the propagation of the mount (and with -r, of every mount below it)
before and after.

Options:
  -r, --recursive   change every mount below PATH too
  -h, --help        show this help
`;

/** What `propagation set` was asked to do. */
export interface SetPlan {
  /** The new mode. */
  mode: PropagationMode;
  /** The mount point, canonical. */
  target: string;
  /** Whether mounts below it change too. */
  recursive: boolean;
}

/**
 * Turns `set`'s words into a plan; checks the words only, not the system.
 *
 * @example
 * ```ts
 * parseSetArgs(["private", "/mnt", "-r"]); // { mode: "private", path: "/mnt", recursive: true }
 * ```
 */
export function parseSetArgs(
  args: readonly string[],
): { mode: PropagationMode; path: string; recursive: boolean } | "help" {
  const { values, positionals } = parseOptions({
    args,
    options: {
      recursive: { type: "boolean", short: "r" },
      help: { type: "boolean", short: "h" },
    },
    command: COMMAND,
    positionals: true,
  });
  if (values.help) return "help";
  if (positionals.length !== 2) {
    throw new UsageError(
      positionals.length < 2
        ? "expected MODE and PATH"
        : `unexpected argument '${positionals[2]}'`,
      COMMAND,
    );
  }
  const [mode, path] = positionals;
  if (!isPropagationMode(mode)) {
    throw new UsageError(
      `unknown mode '${mode}' (one of: ${PROPAGATION_MODES.join(", ")})`,
      COMMAND,
    );
  }
  return { mode, path, recursive: values.recursive === true };
}

function describe(mount: Mount): string {
  const parts: string[] = [propagationOf(mount)];
  if (mount.peer !== null) parts.push(`peer ${mount.peer}`);
  if (mount.master !== null) parts.push(`master ${mount.master}`);
  return parts.length === 1
    ? parts[0]
    : `${parts[0]} (${parts.slice(1).join(", ")})`;
}

/**
 * Runs `mntns propagation set`; returns the exit status.
 *
 * @example
 * ```ts
 * setCommand(["private", "/mnt"]);
 * ```
 */
export function setCommand(args: readonly string[]): number {
  const parsed = parseSetArgs(args);
  if (parsed === "help") {
    writeOut(SET_HELP);
    return 0;
  }
  const target = canonicalPath(parsed.path, { kind: "self" });
  if (fileType(target) === "other") {
    throw new CommandError(
      `${parsed.path}: not a directory or file — only those can be mount points`,
    );
  }
  const before = readMountinfo({ kind: "self" });
  const top = mountAt(before, target);
  if (!top) {
    throw new CommandError(
      `${parsed.path}: not a mount point — propagation belongs to mounts; 'mntns propagation show ${parsed.path}' names the mount it lives on`,
    );
  }
  const plan: SetPlan = {
    mode: parsed.mode,
    target,
    recursive: parsed.recursive,
  };
  mount({
    source: "none",
    target: plan.target,
    flags: propagationFlags(plan.mode, plan.recursive),
  });
  const after = readMountinfo({ kind: "self" });
  const previous = new Map(before.map((m) => [m.id, m]));
  const rows = after
    .filter((m) =>
      m.id === top.id ||
      (plan.recursive && pathBelow(plan.target, m.target) !== null)
    )
    .map((m) => {
      const old = previous.get(m.id);
      return [m.target, old ? describe(old) : "-", describe(m)];
    });
  writeOut(renderTable({ headers: ["TARGET", "BEFORE", "AFTER"], rows }));
  return 0;
}
