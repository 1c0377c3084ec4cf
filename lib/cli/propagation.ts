/**
 * `mntns propagation`: see and change how mount events travel.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { writeOut } from "./output.ts";

const COMMAND = "mntns propagation";

/** Help for `mntns propagation`. */
export const PROPAGATION_HELP = `Usage: mntns propagation <command> [options]

See and change mount propagation.

Commands:
  show [PATH...]          the mount tree with propagation, peer groups, masters
  set MODE PATH [-r]      make a mount private, shared, slave or unbindable
  peers                   every peer group: its members and its slaves
  reach PATH              where a mount made at PATH would appear
  check [ROOTFS...]       warn about propagation hazards (exit 1 on a warning)

Run 'mntns propagation <command> --help' for a command's options.
`;

/**
 * Runs `mntns propagation ...`; returns the exit status.
 *
 * @example
 * ```ts
 * await main(["show", "--list"]);
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "show":
      return (await import("./propagation_show.ts")).showCommand(rest);
    case "set":
      return (await import("./propagation_set.ts")).setCommand(rest);
    case "peers":
      return (await import("./propagation_peers.ts")).peersCommand(rest);
    case "reach":
      return (await import("./propagation_reach.ts")).reachCommand(rest);
    case "check":
      return (await import("./propagation_check.ts")).checkCommand(rest);
    case "-h":
    case "--help":
      writeOut(PROPAGATION_HELP);
      return 0;
    case undefined:
      throw new UsageError("missing command (show or set)", COMMAND);
    default:
      throw new UsageError(
        command.startsWith("-")
          ? `unrecognized option '${command}'`
          : `unknown command '${command}'`,
        COMMAND,
      );
  }
}
