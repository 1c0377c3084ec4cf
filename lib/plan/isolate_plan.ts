/**
 * The plan of `mntns isolate`: parsed from its words, checked, and plain
 * enough to test without root.
 *
 * @module
 */

import { parseOptions, splitAtCommand } from "../cli/options.ts";
import { UsageError } from "../errors.ts";
import { defaultShell } from "./default_shell.ts";
import {
  parseRootPropagation,
  type RootPropagation,
} from "./root_propagation.ts";

const COMMAND = "mntns isolate";

/** The most bytes a hostname may have (HOST_NAME_MAX). */
export const HOSTNAME_MAX = 64;

/** What `mntns isolate` will do, in order. */
export interface IsolatePlan {
  /** Propagation for `/` (recursively) in the new namespace; `unchanged` makes no call. */
  propagation: RootPropagation;
  /** Whether to unshare the UTS namespace too. */
  uts: boolean;
  /** Hostname to set in the new UTS namespace. */
  hostname?: string;
  /** Directory to chroot into. */
  root?: string;
  /** Working directory to change to (after the chroot). */
  wd?: string;
  /** The file to execute (searched in PATH when it has no slash). */
  file: string;
  /** The command's argv, exactly as given. */
  argv: string[];
}

/** Help for `mntns isolate`. */
export const ISOLATE_HELP = `Usage: mntns isolate [options] [--] [CMD [ARGS...]]

Run CMD (default: $SHELL, else /bin/sh) in a new mount namespace, exactly like
'unshare -m --propagation MODE': the root's propagation is set recursively
before CMD starts, and CMD replaces mntns (same PID, exit status its own).

Options:
  --propagation MODE  private (default), shared, slave or unchanged
  -u, --uts           new UTS namespace as well
  --hostname NAME     set the hostname in it (needs --uts; at most 64 bytes)
  --root DIR          chroot into DIR (working directory / unless --wd)
  --wd DIR            working directory for CMD
  -h, --help          show this help

Option parsing stops at the first word that is not an option, as unshare
does; everything after '--' is the command.

Exit status: CMD's own; 127 when CMD is not found, 126 when it cannot be
executed; 1 when setting up failed; 2 for wrong usage.
`;

/**
 * Parses `mntns isolate`'s words into a plan (or `"help"`).
 *
 * @example
 * ```ts
 * parseIsolateArgs(["--propagation", "slave", "ls", "-la"], {});
 * // { propagation: "slave", uts: false, file: "ls", argv: ["ls", "-la"] }
 * ```
 */
export function parseIsolateArgs(
  args: readonly string[],
  env: { SHELL?: string },
): IsolatePlan | "help" {
  const { options, command } = splitAtCommand(
    args,
    new Set(["--propagation", "--hostname", "--root", "--wd"]),
  );
  const { values } = parseOptions({
    args: options,
    options: {
      propagation: { type: "string", default: "private" },
      uts: { type: "boolean", short: "u" },
      hostname: { type: "string" },
      root: { type: "string" },
      wd: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    command: COMMAND,
    positionals: false,
  });
  if (values.help) return "help";
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
  const shell = defaultShell(env.SHELL);
  return {
    propagation,
    uts: values.uts === true,
    hostname,
    root: values.root,
    wd: values.wd,
    file: command.length > 0 ? command[0] : shell.file,
    argv: command.length > 0 ? command : shell.argv,
  };
}

/**
 * Checks a hostname's length: at most 64 bytes of UTF-8, and not empty.
 *
 * @example
 * ```ts
 * checkHostname("box", "mntns run");
 * ```
 */
export function checkHostname(hostname: string, command: string): void {
  const bytes = new TextEncoder().encode(hostname).length;
  if (bytes === 0 || bytes > HOSTNAME_MAX) {
    throw new UsageError(
      `hostname '${hostname}' is ${bytes} bytes; it must be 1 to ${HOSTNAME_MAX}`,
      command,
    );
  }
}
