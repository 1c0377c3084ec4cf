/**
 * mntns: mount namespaces and mount propagation, easy to use, to see and to
 * trust. This file dispatches subcommands; each is imported lazily, so a
 * subcommand loads only what it uses.
 *
 * @module
 */

import { displayText } from "./lib/bytes.ts";
import { UsageError } from "./lib/errors.ts";
import { writeErr, writeOut } from "./lib/cli/output.ts";
import { callerArgs } from "./lib/system/proc.ts";
import { EXEC_STAGE, RUN_STAGE, WAIT_STAGE } from "./lib/exec/stage_names.ts";
import { VERSION } from "./lib/version.ts";

const HELP = `Usage: mntns <command> [options]

Mount namespaces and mount propagation, easy to use, to see and to trust.

Commands:
  run [opts] [--] [cmd...]      a command in new mount, UTS, PID, IPC and
                                network namespaces, with a fresh /proc
  isolate [opts] [--] [cmd...]  a new mount namespace with a chosen
                                propagation, like unshare -m --propagation
  propagation show|set ...      see and change mount propagation

Options:
  -h, --help      show this help
  -V, --version   show the version

Exit status: the command's own for run and isolate; 1 when something failed;
2 for wrong usage. Run 'mntns <command> --help' for a command's options.
`;

type Subcommand = (args: readonly string[]) => number | Promise<number>;

const SUBCOMMANDS: Record<string, () => Promise<Subcommand>> = {
  propagation: async () => (await import("./lib/cli/propagation.ts")).main,
  isolate: async () => (await import("./lib/exec/isolate.ts")).main,
  run: async () => (await import("./lib/exec/run.ts")).main,
  [RUN_STAGE]: async () => (await import("./lib/exec/stages.ts")).runStageMain,
  [EXEC_STAGE]: async () =>
    (await import("./lib/exec/stages.ts")).execStageMain,
  [WAIT_STAGE]: async () =>
    (await import("./lib/exec/stages.ts")).waitStageMain,
};

/**
 * Runs mntns with the given words; returns the exit status.
 *
 * @example
 * ```ts
 * Deno.exit(await mntns(["propagation", "show", "--list"]));
 * ```
 */
export async function mntns(args: readonly string[]): Promise<number> {
  try {
    const [name, ...rest] = args;
    if (name === "-h" || name === "--help") {
      writeOut(HELP);
      return 0;
    }
    if (name === "-V" || name === "--version") {
      writeOut(`mntns ${VERSION}\n`);
      return 0;
    }
    if (name === undefined) throw new UsageError("missing command", "mntns");
    const load = SUBCOMMANDS[name];
    if (!load) {
      throw new UsageError(
        name.startsWith("-")
          ? `unrecognized option '${name}'`
          : `unknown command '${name}'`,
        "mntns",
      );
    }
    return await (await load())(rest);
  } catch (error) {
    return reportError(error);
  }
}

/**
 * Says what failed, in one line: a message is escaped for the terminal
 * (lib/bytes.ts `displayText`), so a newline or an escape sequence in a path
 * it names cannot split or forge the line, nor cut its reason off.
 */
function reportError(error: unknown): number {
  if (error instanceof Deno.errors.BrokenPipe) return 0;
  if (error instanceof UsageError) {
    tryWriteErr(
      `mntns: ${
        displayText(error.message)
      }\nTry '${error.command} --help' for more information.\n`,
    );
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  tryWriteErr(`mntns: ${displayText(message)}\n`);
  if (Deno.env.get("MNTNS_DEBUG") && error instanceof Error) {
    tryWriteErr(`${error.stack?.split("\n").map(displayText).join("\n")}\n`);
  }
  return 1;
}

/**
 * Writes to stderr when it can: with stderr closed or full there is no one
 * to tell, and the exit status still says what happened.
 */
function tryWriteErr(text: string): void {
  try {
    writeErr(text);
  } catch {
    // Nowhere left to report it; the exit status carries it.
  }
}

if (import.meta.main) {
  // Three turns of the event loop first (async calls that cannot fail): Deno
  // stores a module's V8 code cache on a turn of its event loop, and mntns
  // replaces or exits the process before any other turn comes. Measured from
  // a fresh cache: one turn stored it in 7 of 12 runs, two in 31 of 40, three
  // in 40 of 40. Without them every start compiles the whole bundle again:
  // about 3 ms, for 0.5 ms here.
  for (let turn = 0; turn < 3; turn++) {
    await Deno.realPath("/").catch(() => "/");
  }
  Deno.exit(await mntns(callerArgs()));
}
