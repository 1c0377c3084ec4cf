/**
 * `mntns isolate`'s words: options, help and `--dry-run`, parsed into a plan
 * (lib/plan/isolate_plan.ts) that the executor (lib/exec/isolate.ts) carries
 * out.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { Caller } from "../system/proc.ts";
import { defaultShell, environmentValue } from "../plan/default_shell.ts";
import { checkHostname } from "../plan/hostname.ts";
import { type IsolatePlan, isolateSetupOps } from "../plan/isolate_plan.ts";
import {
  parseRootPropagation,
  ROOT_PROPAGATIONS,
} from "../plan/root_propagation.ts";
import { describeExec, describeSetupOp } from "../plan/setup_ops.ts";
import { parseCommandLine, splitAtCommand } from "./options.ts";
import { writeOut } from "./output.ts";
import type { CommandSpec } from "./command_spec.ts";

const COMMAND = "mntns isolate";

/** `mntns isolate`: its options and help. */
export const ISOLATE_SPEC = {
  usage: "mntns isolate [options] [--] [CMD [ARGS...]]",
  about: [{
    paragraph:
      `Run CMD (default: $SHELL, else /bin/sh) in a new mount namespace, exactly like
'unshare -m --propagation MODE': the root's propagation is set recursively
before CMD starts, and CMD replaces mntns (same PID, exit status its own).`,
  }],
  optionWidth: 20,
  options: {
    mount: {
      type: "string",
      value: "FILE",
      equals: true,
      help: `keep the new mount namespace after CMD ends, bound at
FILE (an existing file on a mount that is not shared),
as 'unshare --mount=FILE' does; enter it with
'mntns enter FILE', remove it with 'umount FILE'`,
    },
    propagation: {
      type: "string",
      default: "private",
      choices: ROOT_PROPAGATIONS,
      value: "MODE",
      help: "private (default), shared, slave or unchanged",
    },
    uts: { type: "boolean", short: "u", help: "new UTS namespace as well" },
    hostname: {
      type: "string",
      value: "NAME",
      help: "set the hostname in it (needs --uts; at most 64 bytes)",
    },
    root: {
      type: "string",
      value: "DIR",
      help: "chroot into DIR (working directory / unless --wd)",
    },
    wd: { type: "string", value: "DIR", help: "working directory for CMD" },
    "dry-run": {
      type: "boolean",
      help: "print the setup operations, in order, and stop",
    },
  },
  after: [{
    paragraph:
      `Option parsing stops at the first word that is not an option, as unshare
does; everything after '--' is the command.`,
  }, {
    paragraph:
      `Exit status: CMD's own; 127 when CMD is not found, 126 when it cannot be
executed; 1 when setting up failed; 2 for wrong usage.`,
  }],
  operands: [{ placeholder: "cmd", repeated: true }],
  hints: { "-m": "isolate always makes a new mount namespace: drop -m" },
} as const satisfies CommandSpec;

/**
 * Parses `mntns isolate`'s words into a plan for a caller; null when it
 * printed the help or, with `--dry-run`, the setup operations.
 *
 * @example
 * ```ts
 * parseIsolateArgs(["--propagation", "slave", "ls", "-la"], {
 *   env: [],
 *   signals: { ignored: [], blocked: [] },
 * })?.propagation; // "slave"
 * ```
 */
export function parseIsolateArgs(
  args: readonly string[],
  caller: Caller,
): IsolatePlan | null {
  const { options, command } = splitAtCommand(args, ISOLATE_SPEC.options);
  const parsed = parseCommandLine({
    args: options,
    spec: ISOLATE_SPEC,
    command: COMMAND,
    positionals: false,
  });
  if (parsed === null) return null;
  const { values } = parsed;
  const propagation = parseRootPropagation(values.propagation, COMMAND);
  const hostname = values.hostname;
  if (hostname !== undefined) {
    if (!values.uts) {
      throw new UsageError(
        "--hostname needs --uts (a UTS namespace of its own)",
        COMMAND,
      );
    }
    checkHostname(hostname, COMMAND);
  }
  if (values.mount === "") {
    throw new UsageError("--mount takes a file name, not ''", COMMAND);
  }
  const shell = defaultShell(environmentValue(caller.env, "SHELL"));
  const plan: IsolatePlan = {
    keep: values.mount,
    propagation,
    uts: values.uts === true,
    hostname,
    root: values.root,
    wd: values.wd,
    command: {
      file: command.length > 0 ? command[0] : shell.file,
      argv: command.length > 0 ? command : shell.argv,
      env: caller.env,
      signals: caller.signals,
    },
  };
  if (!values["dry-run"]) return plan;
  writeOut(
    [...isolateSetupOps(plan).map(describeSetupOp), describeExec(plan.command)]
      .map((line) => line + "\n").join(""),
  );
  return null;
}
