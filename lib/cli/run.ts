/**
 * `mntns run`'s words: options, help and `--dry-run`, parsed into a plan
 * (lib/plan/run_plan.ts) that the executor (lib/exec/run.ts) carries out.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { Caller } from "../system/proc.ts";
import { defaultShell, environmentValue } from "../plan/default_shell.ts";
import { checkHostname } from "../plan/hostname.ts";
import {
  parseRootPropagation,
  ROOT_PROPAGATIONS,
} from "../plan/root_propagation.ts";
import { describePrivileges } from "../plan/privileges.ts";
import { CAPABILITY_NAMES } from "../plan/capabilities.ts";
import {
  commandEnvironment,
  type RunPlan,
  runSetupOps,
  runWarnings,
} from "../plan/run_plan.ts";
import { describeExec, describeSetupOp } from "../plan/setup_ops.ts";
import { environmentChanges } from "./environment_options.ts";
import { mountRequests } from "./mount_requests.ts";
import { parseCommandLine, splitAtCommand } from "./options.ts";
import { privilegeRequest } from "./privilege_options.ts";
import { writeOut, writeWarning } from "./output.ts";
import type { CommandSpec } from "./command_spec.ts";

const COMMAND = "mntns run";

/** What --cap-drop and --cap-add complete. */
const CAPABILITY_WORDS = { words: ["ALL", ...CAPABILITY_NAMES] };

/** `mntns run`: its options and help. */
export const RUN_SPEC = {
  usage: "mntns run [options] [--] [CMD [ARGS...]]",
  about: [{
    paragraph:
      `Run CMD (default: $SHELL, else /bin/sh) in new mount, UTS, PID, IPC and
network namespaces, the way a minimal container would: / is made private
(recursively) before anything is mounted, /proc is fresh, the loopback
interface is up, and CMD is PID 1 (or, with --init, a child of mntns as
PID 1).`,
  }],
  optionWidth: 23,
  options: {
    hostname: {
      type: "string",
      value: "NAME",
      help: "hostname inside (default: mntns)",
    },
    propagation: {
      type: "string",
      default: "private",
      choices: ROOT_PROPAGATIONS,
      value: "MODE",
      help: "private (default), slave, shared (warns) or unchanged",
    },
    "no-net": {
      type: "boolean",
      help: "keep that namespace shared with the caller",
    },
    "no-pid": { type: "boolean" },
    "no-ipc": { type: "boolean" },
    "no-uts": { type: "boolean" },
    cgroup: { type: "boolean", help: "a new cgroup namespace as well" },
    init: {
      type: "boolean",
      help: `mntns stays as PID 1: it reaps orphans and forwards
signals to CMD, its child`,
    },
    rootfs: {
      type: "string",
      value: "DIR",
      help: `DIR becomes / (pivot_root, as runc does it), with a
minimal /dev (null, zero, full, random, urandom, tty,
pts, shm and the fd links); /proc and /dev are made
in DIR when missing`,
    },
    "no-dev": { type: "boolean", help: "keep DIR's own /dev as it is" },
    "unmasked-proc": {
      type: "boolean",
      help: `leave the new root's /proc whole (by default, as
runc: kcore, keys, timer_list, sched_debug, acpi,
scsi... hidden; sys, sysrq-trigger, irq, bus, fs
read-only)`,
    },
    "read-only": {
      type: "boolean",
      help: "remount the new root read-only (needs --rootfs)",
    },
    bind: {
      type: "string",
      multiple: true,
      value: "SRC:DST",
      help: `bind-mount SRC at DST (repeatable); write a colon
in SRC or DST as \\: and a backslash as \\\\`,
    },
    "ro-bind": {
      type: "string",
      multiple: true,
      value: "SRC:DST",
      help: "the same, read-only",
    },
    "dev-bind": {
      type: "string",
      multiple: true,
      value: "SRC:DST",
      help: "the same, nosuid, for devices (/dev/fuse:/dev/fuse)",
    },
    tmpfs: {
      type: "string",
      multiple: true,
      value: "DST",
      help: `a fresh tmpfs at DST (repeatable): mode 1777 for
/tmp and /var/tmp, else 0755`,
    },
    "tmpfs-mode": {
      type: "string",
      multiple: true,
      value: "MODE",
      help: "the next --tmpfs's mode (octal: 700)",
    },
    "tmpfs-size": {
      type: "string",
      multiple: true,
      value: "SIZE",
      help: "the next --tmpfs's size (bytes, or 64m, 1g, 50%)",
    },
    dir: {
      type: "string",
      multiple: true,
      value: "DST",
      help: "make a directory (needs --rootfs)",
    },
    symlink: {
      type: "string",
      multiple: true,
      value: "TARGET:DST",
      help: `make a symbolic link at DST (needs --rootfs)
mounts, directories and links are made in the order
given; with --rootfs, DST is inside the new root and
may not leave it through a symlink`,
    },
    user: {
      type: "string",
      value: "USER[:GROUP]",
      help: `run CMD as USER (a name is looked up in the new
root's /etc/passwd and /etc/group)`,
    },
    "cap-drop": {
      type: "string",
      multiple: true,
      value: "CAPS",
      completes: CAPABILITY_WORDS,
      help: "drop capabilities: ALL or CAP_X,CAP_Y (repeatable)",
    },
    "cap-add": {
      type: "string",
      multiple: true,
      value: "CAPS",
      completes: CAPABILITY_WORDS,
      help: `keep these (after --cap-drop ALL, or for a USER
other than root, who starts with none)`,
    },
    "new-privs": {
      type: "boolean",
      help: `do not set no_new_privs, which is set whenever
--user, --cap-drop or --cap-add is given (it stops
setuid programs and file capabilities)`,
    },
    "new-session": {
      type: "boolean",
      help: "a new session, without the caller's terminal",
    },
    "die-with-parent": {
      type: "boolean",
      help: `end the run when mntns dies (the default), or let it
outlive mntns`,
    },
    "no-die-with-parent": { type: "boolean" },
    env: {
      type: "string",
      multiple: true,
      value: "K=V",
      help: "set K in CMD's environment (repeatable)",
    },
    unsetenv: {
      type: "string",
      multiple: true,
      value: "K",
      help: "remove K from CMD's environment (repeatable)",
    },
    clearenv: {
      type: "boolean",
      help: `start CMD's environment empty; --env and --unsetenv
apply in order with it`,
    },
    wd: { type: "string", value: "DIR", help: "working directory of CMD" },
    "info-fd": {
      type: "string",
      value: "FD",
      help: `once the namespaces and mounts are ready, write one
line of JSON to descriptor FD (above 2) and close it:
{"pid": host PID of the namespace's PID 1,
"mntns": mntns's PID, "namespaces": {"mnt": INODE,
"uts", "ipc", "net", "pid", "cgroup"}}`,
    },
    "dry-run": {
      type: "boolean",
      help: "print the setup operations, in order, and stop",
    },
  },
  after: [{
    paragraph:
      `Option parsing stops at the first word that is not an option; everything
after '--' is the command.`,
  }, {
    paragraph:
      `Signals HUP, INT, QUIT, USR1, USR2, ALRM, TERM and WINCH sent to mntns are
passed on to CMD, unless the caller ignored them (as nohup does): those stay
ignored, in mntns and in CMD. If mntns dies, even by SIGKILL, CMD and its whole PID
namespace die too (unless --no-die-with-parent).`,
  }, {
    paragraph:
      `Exit status: CMD's own, or 128+N when signal N ended it; 127 when CMD is not
found, 126 when it cannot be executed; 1 when setting up failed; 2 for wrong
usage.`,
  }],
  operands: [{ placeholder: "cmd", repeated: true }],
  hints: {
    "--chdir": "bwrap's --chdir DIR is --wd DIR here",
    "--setenv": "bwrap's --setenv NAME VALUE is --env NAME=VALUE here",
    "--unshare-all":
      "run always unshares mount, UTS, PID, IPC and network (--cgroup adds cgroup)",
    "--proc": "run mounts a fresh /proc by itself",
    "--dev":
      "with --rootfs, run makes a minimal /dev by itself (--dev-bind SRC:DST adds a device)",
  },
} as const satisfies CommandSpec;

/** `--info-fd`'s descriptor: a number above 2 (0, 1 and 2 stay the command's). */
function parseInfoFd(text: string): number {
  const fd = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(fd) || fd < 3) {
    throw new UsageError(
      `--info-fd takes a descriptor number above 2, not '${text}' (0, 1 and 2 stay the command's)`,
      COMMAND,
    );
  }
  return fd;
}

/**
 * Parses `mntns run`'s words into a plan for a caller; null when it printed
 * the help or, with `--dry-run`, the setup operations.
 *
 * @example
 * ```ts
 * parseRunArgs(["--hostname", "box", "--", "hostname"], {
 *   env: ["PATH=/bin"],
 *   signals: { ignored: [], blocked: [] },
 * });
 * ```
 */
export function parseRunArgs(
  args: readonly string[],
  caller: Caller,
): RunPlan | null {
  const { options, command } = splitAtCommand(args, RUN_SPEC.options);
  const parsed = parseCommandLine({
    args: options,
    spec: RUN_SPEC,
    command: COMMAND,
    positionals: false,
  });
  if (parsed === null) return null;
  const { values, tokens } = parsed;
  const propagation = parseRootPropagation(values.propagation, COMMAND);
  const uts = !values["no-uts"];
  if (!uts && values.hostname !== undefined) {
    throw new UsageError(
      "--hostname needs a UTS namespace: drop --no-uts",
      COMMAND,
    );
  }
  const hostname = uts ? values.hostname ?? "mntns" : null;
  if (hostname !== null) checkHostname(hostname, COMMAND);
  if (values.init && values["no-pid"]) {
    throw new UsageError(
      "--init needs a PID namespace to be PID 1 of: drop --no-pid",
      COMMAND,
    );
  }
  if (values["read-only"] && values.rootfs === undefined) {
    throw new UsageError("--read-only needs --rootfs", COMMAND);
  }
  if (values["no-dev"] && values.rootfs === undefined) {
    throw new UsageError("--no-dev needs --rootfs", COMMAND);
  }
  if (values["unmasked-proc"] && values.rootfs === undefined) {
    throw new UsageError("--unmasked-proc needs --rootfs", COMMAND);
  }
  if (values["die-with-parent"] && values["no-die-with-parent"]) {
    throw new UsageError(
      "--die-with-parent and --no-die-with-parent exclude each other",
      COMMAND,
    );
  }
  const infoFd = values["info-fd"] === undefined
    ? null
    : parseInfoFd(values["info-fd"]);
  const rootfs = values.rootfs ?? null;
  const mounts = mountRequests({ tokens, rootfs, command: COMMAND });
  const shell = defaultShell(environmentValue(caller.env, "SHELL"));
  const plan: RunPlan = {
    namespaces: {
      uts,
      pid: !values["no-pid"],
      ipc: !values["no-ipc"],
      net: !values["no-net"],
      cgroup: values.cgroup === true,
    },
    hostname,
    propagation,
    init: values.init === true,
    rootfs,
    readOnly: values["read-only"] === true,
    mounts,
    dev: rootfs !== null && !values["no-dev"],
    maskProc: rootfs !== null && !values["unmasked-proc"],
    privileges: privilegeRequest({ values, tokens, command: COMMAND }),
    dieWithParent: !values["no-die-with-parent"],
    wd: values.wd ?? null,
    command: {
      file: command.length > 0 ? command[0] : shell.file,
      argv: command.length > 0 ? command : shell.argv,
      env: commandEnvironment(
        caller.env,
        environmentChanges(tokens, COMMAND),
      ),
      signals: caller.signals,
    },
    infoFd,
  };
  if (!values["dry-run"]) {
    runWarnings(plan).forEach(writeWarning);
    return plan;
  }
  writeOut(dryRun(plan));
  return null;
}

/** What `--dry-run` prints: every operation, in order, one a line. */
function dryRun(plan: RunPlan): string {
  const lines = [
    ...(plan.namespaces.pid
      ? [describeSetupOp({ op: "unshare", namespaces: ["pid"] })]
      : []),
    ...runSetupOps(plan).map(describeSetupOp),
    ...(plan.wd !== null || plan.rootfs !== null
      ? [describeSetupOp({ op: "chdir", dir: plan.wd ?? "/" })]
      : []),
    ...describePrivileges(plan.privileges),
    describeExec(plan.command),
  ];
  return lines.map((line) => line + "\n").join("");
}
