/**
 * The plan of `mntns run`: parsed from its words, checked, and plain enough
 * to serialize (the PID-1 stage receives it as JSON) and to test without
 * root.
 *
 * @module
 */

import { parseOptions, splitAtCommand } from "../cli/options.ts";
import { UsageError } from "../errors.ts";
import { defaultShell } from "./default_shell.ts";
import { checkHostname } from "./isolate_plan.ts";
import {
  parseRootPropagation,
  type RootPropagation,
} from "./root_propagation.ts";

const COMMAND = "mntns run";

/** A mount to prepare before the command starts. */
export interface MountRequest {
  /** `bind`, `ro-bind` (bind, then read-only) or `tmpfs`. */
  kind: "bind" | "ro-bind" | "tmpfs";
  /** The source path (binds only). */
  source?: string;
  /** The mount point; inside the new root when there is one. */
  target: string;
}

/** Which namespaces `run` makes. */
export interface RunNamespaces {
  uts: boolean;
  pid: boolean;
  ipc: boolean;
  net: boolean;
  cgroup: boolean;
}

/** What `mntns run` will do. */
export interface RunPlan {
  /** New namespaces besides the mount namespace, which is always new. */
  namespaces: RunNamespaces;
  /** Hostname in the new UTS namespace; null without one. */
  hostname: string | null;
  /** Propagation of `/` inside, recursively. */
  propagation: RootPropagation;
  /** Whether mntns stays as PID 1 (a reaper), the command its child. */
  init: boolean;
  /** Directory that becomes `/` (pivot_root), or null. */
  rootfs: string | null;
  /** Whether the new root is remounted read-only. */
  readOnly: boolean;
  /** Mounts to prepare, in the order given. */
  mounts: MountRequest[];
  /** `K=V` entries that replace or extend the environment. */
  envOverrides: string[];
  /** Working directory of the command, or null (unchanged; `/` with a rootfs). */
  wd: string | null;
  /** The file to execute (searched in PATH when it has no slash). */
  file: string;
  /** The command's argv, exactly as given. */
  argv: string[];
}

/** Help for `mntns run`. */
export const RUN_HELP = `Usage: mntns run [options] [--] [CMD [ARGS...]]

Run CMD (default: $SHELL, else /bin/sh) in new mount, UTS, PID, IPC and
network namespaces, the way a minimal container would: / is made private
(recursively) before anything is mounted, /proc is fresh, the loopback
interface is up, and CMD is PID 1 (or, with --init, a child of mntns as
PID 1).

Options:
  --hostname NAME        hostname inside (default: mntns)
  --propagation MODE     private (default), slave, shared (warns) or unchanged
  --no-net, --no-pid, --no-ipc, --no-uts
                         keep that namespace shared with the caller
  --cgroup               a new cgroup namespace as well
  --init                 mntns stays as PID 1: it reaps orphans and forwards
                         signals to CMD, its child
  --rootfs DIR           DIR becomes / (pivot_root, as runc does it)
  --read-only            remount the new root read-only (needs --rootfs)
  --bind SRC:DST         bind-mount SRC at DST (repeatable); write a colon
                         in SRC or DST as \\: and a backslash as \\\\
  --ro-bind SRC:DST      the same, read-only
  --tmpfs DST            a fresh tmpfs at DST (repeatable)
                         with --rootfs, DST is inside the new root and may not
                         leave it through a symlink
  --env K=V              set K in CMD's environment (repeatable)
  --wd DIR               working directory of CMD
  -h, --help             show this help

Option parsing stops at the first word that is not an option; everything
after '--' is the command.

Signals HUP, INT, QUIT, USR1, USR2, ALRM, TERM and WINCH sent to mntns are
passed on to CMD, unless the caller ignored them (as nohup does): those stay
ignored, in mntns and in CMD. If mntns dies, even by SIGKILL, CMD and its whole PID
namespace die too.

Exit status: CMD's own, or 128+N when signal N ended it; 127 when CMD is not
found, 126 when it cannot be executed; 1 when setting up failed; 2 for wrong
usage.
`;

const VALUE_OPTIONS = new Set([
  "--hostname",
  "--propagation",
  "--rootfs",
  "--bind",
  "--ro-bind",
  "--tmpfs",
  "--env",
  "--wd",
]);

/**
 * Splits `--bind`'s SRC:DST at the first colon no backslash escapes; in
 * both halves `\:` stands for a colon and `\\` for a backslash (any other
 * backslash stays as it is): `a\:b:/mnt` is `a:b` and `/mnt`.
 */
function bindRequest(
  kind: "bind" | "ro-bind",
  value: string,
): MountRequest {
  const halves: string[] = [""];
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    const next = value[index + 1];
    if (char === "\\" && (next === ":" || next === "\\")) {
      halves[halves.length - 1] += next;
      index++;
    } else if (char === ":" && halves.length === 1) {
      halves.push("");
    } else {
      halves[halves.length - 1] += char;
    }
  }
  const [source, target] = halves;
  if (target === undefined || source === "" || target === "") {
    throw new UsageError(
      `--${kind} takes SRC:DST, not '${value}' (write a colon in a path as \\:)`,
      COMMAND,
    );
  }
  return { kind, source, target };
}

/**
 * Parses `mntns run`'s words into a plan (or `"help"`).
 *
 * @example
 * ```ts
 * parseRunArgs(["--hostname", "box", "--", "sh", "-c", "hostname"], {});
 * ```
 */
export function parseRunArgs(
  args: readonly string[],
  env: { SHELL?: string },
): RunPlan | "help" {
  const { options, command } = splitAtCommand(args, VALUE_OPTIONS);
  const { values, tokens } = parseOptions({
    args: options,
    options: {
      hostname: { type: "string" },
      propagation: { type: "string", default: "private" },
      "no-net": { type: "boolean" },
      "no-pid": { type: "boolean" },
      "no-ipc": { type: "boolean" },
      "no-uts": { type: "boolean" },
      cgroup: { type: "boolean" },
      init: { type: "boolean" },
      rootfs: { type: "string" },
      "read-only": { type: "boolean" },
      bind: { type: "string", multiple: true },
      "ro-bind": { type: "string", multiple: true },
      tmpfs: { type: "string", multiple: true },
      env: { type: "string", multiple: true },
      wd: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    command: COMMAND,
    positionals: false,
  });
  if (values.help) return "help";
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
  for (const entry of values.env ?? []) {
    if (entry.indexOf("=") <= 0) {
      throw new UsageError(`--env takes K=V, not '${entry}'`, COMMAND);
    }
  }
  const mounts: MountRequest[] = [];
  for (const token of tokens) {
    if (token.value === undefined) continue;
    if (token.name === "bind" || token.name === "ro-bind") {
      mounts.push(bindRequest(token.name, token.value));
    } else if (token.name === "tmpfs") {
      mounts.push({ kind: "tmpfs", target: token.value });
    }
  }
  const shell = defaultShell(env.SHELL);
  return {
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
    rootfs: values.rootfs ?? null,
    readOnly: values["read-only"] === true,
    mounts,
    envOverrides: values.env ?? [],
    wd: values.wd ?? null,
    file: command.length > 0 ? command[0] : shell.file,
    argv: command.length > 0 ? command : shell.argv,
  };
}

/**
 * The command's environment: the caller's, with each `K=V` override
 * replacing every earlier `K=` entry or appended when there was none.
 *
 * @example
 * ```ts
 * commandEnvironment(["A=1", "B=2"], ["A=3", "C=4"]); // ["A=3", "B=2", "C=4"]
 * ```
 */
export function commandEnvironment(
  inherited: readonly string[],
  overrides: readonly string[],
): string[] {
  const env = [...inherited];
  for (const entry of overrides) {
    const key = entry.slice(0, entry.indexOf("=") + 1);
    const first = env.findIndex((item) => item.startsWith(key));
    const kept = env.filter((item) => !item.startsWith(key));
    if (first < 0) kept.push(entry);
    else kept.splice(first, 0, entry);
    env.splice(0, env.length, ...kept);
  }
  return env;
}
