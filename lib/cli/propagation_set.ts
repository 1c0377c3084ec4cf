/**
 * `mntns propagation set MODE PATH [-r]`: change a mount's propagation, like
 * `mount --make-[r]MODE PATH`, and show it before and after.
 *
 * @module
 */

import { parseCommandLine } from "./options.ts";
import type { CommandSpec } from "./command_spec.ts";
import type { SetPlan } from "../plan/set_plan.ts";
import { CommandError, UsageError } from "../errors.ts";
import { mountAt } from "../mount/lookup.ts";
import { canonicalPath, isDirectoryOrFile } from "../system/mount_source.ts";
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

const COMMAND = "mntns propagation set";

/** `mntns propagation set`: its options and help. */
export const SET_SPEC = {
  usage: "mntns propagation set MODE PATH [-r|--recursive]",
  about: [{
    paragraph:
      `Change the propagation of the mount at PATH, like mount --make-[r]MODE PATH.
MODE is one of: ${PROPAGATION_MODES.join(", ")}.
Prints the propagation of the mount (and with -r, of every mount below it)
before and after.`,
  }],
  optionWidth: 18,
  options: {
    recursive: {
      type: "boolean",
      short: "r",
      help: "change every mount below PATH too",
    },
  },
  after: [],
  operands: [
    { placeholder: "MODE", completes: { words: PROPAGATION_MODES } },
    { placeholder: "PATH" },
  ],
} as const satisfies CommandSpec;

/**
 * Turns `set`'s words into what was asked; checks the words only, not the
 * system. Null when it printed the help.
 *
 * @example
 * ```ts
 * parseSetArgs(["private", "/mnt", "-r"]); // { mode: "private", path: "/mnt", recursive: true }
 * ```
 */
export function parseSetArgs(
  args: readonly string[],
): { mode: PropagationMode; path: string; recursive: boolean } | null {
  const parsed = parseCommandLine({
    args,
    spec: SET_SPEC,
    command: COMMAND,
    positionals: true,
  });
  if (parsed === null) return null;
  const { values, positionals } = parsed;
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

/** A checked `set`: its plan, and the mount table before it. */
export interface PreparedSet {
  /** What to change. */
  plan: SetPlan;
  /** This namespace's mounts before the change. */
  before: Mount[];
  /** The mount at the target, before. */
  top: Mount;
}

/**
 * Parses `set`'s words and checks them against the system: the path must
 * be a mount point in this namespace. Null when it printed the help.
 *
 * @example
 * ```ts
 * const prepared = prepareSet(["private", "/mnt"]);
 * ```
 */
export function prepareSet(args: readonly string[]): PreparedSet | null {
  const parsed = parseSetArgs(args);
  if (parsed === null) return null;
  const target = canonicalPath(parsed.path, { kind: "self" });
  if (!isDirectoryOrFile(target)) {
    throw new CommandError(
      `${parsed.path}: not a directory or file — only those can be mount points`,
    );
  }
  const before = readMountinfo({ kind: "self" });
  const top = mountAt(before, target);
  if (!top) {
    throw new CommandError(
      `${parsed.path}: not a mount point — propagation belongs to mounts; 'mntns propagation show -T ${parsed.path}' names the mount it lives on`,
    );
  }
  return {
    plan: { mode: parsed.mode, target, recursive: parsed.recursive },
    before,
    top,
  };
}

/**
 * Prints each changed mount before and after (read again now); returns the
 * exit status.
 *
 * @example
 * ```ts
 * const prepared = prepareSet(["private", "/mnt"])!;
 * // lib/exec/set.ts applySetPlan(prepared.plan) makes the change, then:
 * reportSet(prepared); // 0, after printing /mnt before and after
 * ```
 */
export function reportSet(prepared: PreparedSet): number {
  const { plan, before, top } = prepared;
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
