/**
 * `mntns enter`'s words: TARGET, options and help, parsed into a plan
 * (lib/plan/enter_plan.ts) that the executor (lib/exec/enter.ts) carries
 * out.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { Caller } from "../system/proc.ts";
import { defaultShell, environmentValue } from "../plan/default_shell.ts";
import {
  ENTER_ORDER,
  type EnterPlan,
  enterTarget,
} from "../plan/enter_plan.ts";
import { parseCommandLine, splitAtCommand } from "./options.ts";
import type { CommandSpec } from "./command_spec.ts";

const COMMAND = "mntns enter";

/** `mntns enter`: its options and help. */
export const ENTER_SPEC = {
  usage: "mntns enter TARGET [options] [--] [CMD [ARGS...]]",
  about: [[{
    paragraph:
      `Run CMD (default: $SHELL, else /bin/sh, as a login shell) in the namespaces
of TARGET, as nsenter does. TARGET is`,
  }, {
    literal:
      `  PID    a process: every namespace of it that differs from mntns's own is
         entered (nsenter -a), and CMD gets its root and working directory
         (nsenter -r -w)
  FILE   a path with a '/' (./ns in this directory): a namespace kept by
         'mntns isolate --mount=FILE' or 'unshare --mount=FILE'; CMD starts
         at its root, in /
  NAME   the hostname of a running 'mntns run' (see 'mntns ps'), when no
         other run has it`,
  }]],
  optionWidth: 17,
  options: {
    mount: { type: "boolean", short: "m", help: "enter the mount namespace" },
    uts: {
      type: "boolean",
      short: "u",
      help: "enter the UTS namespace (hostname)",
    },
    ipc: { type: "boolean", short: "i", help: "enter the IPC namespace" },
    net: { type: "boolean", short: "n", help: "enter the network namespace" },
    pid: {
      type: "boolean",
      short: "p",
      help: `enter the PID namespace: CMD is a member of it, a child of
mntns, which passes signals on and waits`,
    },
    cgroup: {
      type: "boolean",
      short: "C",
      help: `enter the cgroup namespace
(any of these: only those; none: all that differ)`,
    },
    wd: {
      type: "string",
      value: "DIR",
      help: "working directory of CMD, looked up inside",
    },
  },
  after: [{
    paragraph:
      `Option parsing stops at the first word after TARGET that is not an option;
everything after '--' is the command.`,
  }, {
    paragraph:
      `With a PID namespace, signals HUP, INT, QUIT, USR1, USR2, ALRM, TERM and
WINCH sent to mntns are passed on to CMD, unless the caller ignored them;
without one, mntns becomes CMD (same PID).`,
  }, {
    paragraph:
      `Exit status: CMD's own, or 128+N when signal N ended it; 127 when CMD is not
found, 126 when it cannot be executed; 1 when TARGET cannot be entered; 2 for
wrong usage.`,
  }],
  operands: [{ placeholder: "TARGET" }, { placeholder: "cmd", repeated: true }],
} as const satisfies CommandSpec;

/** The option that asks for each namespace. */
const NAMESPACE_OPTIONS = {
  mnt: "mount",
  uts: "uts",
  ipc: "ipc",
  net: "net",
  pid: "pid",
  cgroup: "cgroup",
} as const;

/**
 * Parses `mntns enter`'s words into a plan for a caller; null when it
 * printed the help.
 *
 * @example
 * ```ts
 * parseEnterArgs(["box", "--uts", "--", "hostname"], {
 *   env: ["PATH=/bin"],
 *   signals: { ignored: [], blocked: [] },
 * })?.namespaces; // ["uts"]
 * ```
 */
export function parseEnterArgs(
  args: readonly string[],
  caller: Caller,
): EnterPlan | null {
  const before = splitAtCommand(args, ENTER_SPEC.options);
  const [word, ...rest] = before.command;
  const after = splitAtCommand(rest, ENTER_SPEC.options);
  const parsed = parseCommandLine({
    args: [...before.options, ...after.options],
    spec: ENTER_SPEC,
    command: COMMAND,
    positionals: false,
  });
  if (parsed === null) return null;
  // TARGET comes before '--': what follows '--' is the command.
  if (word === undefined || args[before.options.length] === "--") {
    throw new UsageError(
      "expected TARGET: a PID, a namespace file or a run's hostname",
      COMMAND,
    );
  }
  const { values } = parsed;
  const asked = ENTER_ORDER.filter((name) =>
    values[NAMESPACE_OPTIONS[name]] === true
  );
  const shell = defaultShell(environmentValue(caller.env, "SHELL"));
  const command = after.command;
  return {
    target: enterTarget(word, COMMAND),
    namespaces: asked.length > 0 ? asked : null,
    wd: values.wd ?? null,
    command: {
      file: command.length > 0 ? command[0] : shell.file,
      argv: command.length > 0 ? command : shell.argv,
      env: caller.env,
      signals: caller.signals,
    },
  };
}
