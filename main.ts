/**
 * mntns: mount namespaces and mount propagation, easy to use, to see and to
 * trust. This file dispatches subcommands (lib/commands.ts declares them;
 * each is imported lazily, so a subcommand loads only what it uses) and
 * turns every error into one line and an exit status.
 *
 * @module
 */

import { displayText } from "./lib/bytes.ts";
import { exitStatusOf, UsageError } from "./lib/errors.ts";
import { writeErr, writeError, writeOut } from "./lib/cli/output.ts";
import { callerArgs } from "./lib/system/proc.ts";
import {
  COMMANDS,
  findCommand,
  groupHelp,
  HELP_COMMAND,
  mainHelp,
  STAGES,
} from "./lib/commands.ts";
import { VERSION } from "./lib/version.ts";

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
    if (name === "-V" || name === "--version") {
      writeOut(`mntns ${VERSION}\n`);
      return 0;
    }
    const stage = Object.hasOwn(STAGES, name ?? "") ? STAGES[name] : undefined;
    if (stage) return await stage(rest);
    // `mntns help [COMMAND...]` is `mntns [COMMAND...] --help`.
    const words = name === HELP_COMMAND.words[0] ? [...rest, "--help"] : args;
    const found = findCommand(words);
    if ("command" in found) return await found.command.run(found.rest);
    const { group, next } = found;
    const where = ["mntns", ...group].join(" ");
    if (next === "-h" || next === "--help") {
      writeOut(group.length === 0 ? mainHelp() : groupHelp(group));
      return 0;
    }
    if (next === undefined) {
      const names = COMMANDS.filter((command) =>
        group.every((part, index) => command.words[index] === part)
      ).map((command) => command.words[group.length]);
      throw new UsageError(
        `missing command (one of: ${[...new Set(names)].join(", ")})`,
        where,
      );
    }
    throw new UsageError(
      next.startsWith("-")
        ? `unrecognized option '${next}'`
        : `unknown command '${next}'`,
      where,
    );
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof Deno.errors.BrokenPipe) return 0;
  const message = error instanceof Error ? error.message : String(error);
  // With stderr closed or full there is no one to tell, and the exit status
  // still says what happened.
  try {
    writeError(`mntns: ${displayText(message)}`);
    if (error instanceof UsageError) {
      writeErr(`Try '${error.command} --help' for more information.\n`);
    } else if (Deno.env.get("MNTNS_DEBUG") && error instanceof Error) {
      writeErr(`${error.stack?.split("\n").map(displayText).join("\n")}\n`);
    }
  } catch {
    // Nowhere left to report it; the exit status carries it.
  }
  return exitStatusOf(error);
}

if (import.meta.main) {
  // A hidden stage's words are names and numbers, which Deno.args holds
  // exactly; it skips the turns below (its parent stored the code cache).
  const stage = Object.hasOwn(STAGES, Deno.args[0] ?? "");
  // Three turns of the event loop first (async calls that cannot fail), the
  // first while the caller's words are read: Deno stores a module's V8 code
  // cache on a turn of its event loop, and mntns replaces or exits the
  // process before any other turn comes. Measured from a fresh cache: one
  // turn stored it in 15 of 20 runs, three in 20 of 20. Without them every
  // start compiles the whole bundle again: about 3 ms.
  const turn = (): Promise<string> => Deno.realPath("/").catch(() => "/");
  const first = stage ? null : turn();
  const args = stage ? Deno.args : callerArgs();
  if (first !== null) {
    await first;
    await turn();
    await turn();
  }
  Deno.exit(await mntns(args));
}
