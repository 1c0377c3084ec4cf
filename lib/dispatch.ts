/**
 * What mntns does with its words: it dispatches subcommands
 * (lib/commands.ts declares them; each is imported lazily, so a subcommand
 * loads only what it uses) and turns every error into one line and an exit
 * status. lib/exec/stages/start.ts loads it once the caller's signal state is kept.
 *
 * @module
 */

import { displayText } from "./bytes.ts";
import { exitStatusOf, UsageError } from "./errors.ts";
import { writeErr, writeError, writeOut } from "./cli/output.ts";
import { callerArgs } from "./system/proc.ts";
import {
  COMMANDS,
  findCommand,
  groupSpec,
  HELP_COMMAND,
  mainSpec,
  STAGES,
} from "./commands.ts";
import { helpBlockText, helpText } from "./cli/command_spec.ts";
import { VERSION } from "./version.ts";
import { withCodeCacheTurns } from "./exec/stages/code_cache.ts";

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
    if (name === HELP_COMMAND.words[0]) return await printHelp(rest);
    const found = findCommand(args);
    if ("command" in found) return await found.command.run(found.rest);
    const { group, next } = found;
    if (next === "-h" || next === "--help") {
      writeOut(helpText(group.length === 0 ? mainSpec() : groupSpec(group)));
      return 0;
    }
    if (next === undefined && group.length === 0) {
      // Bare `mntns`: the commands, as git shows them, and a usage status.
      const main = mainSpec();
      writeErr(
        [
          { paragraph: `Usage: ${main.usage}` },
          ...main.about.slice(1),
          ...main.after,
        ]
          .map(helpBlockText).join("\n"),
      );
      return 2;
    }
    throw groupError(group, next);
  } catch (error) {
    return reportError(error);
  }
}

/** The error for words that stop in a group: no command, or a wrong one. */
function groupError(
  group: readonly string[],
  next: string | undefined,
): UsageError {
  const where = ["mntns", ...group].join(" ");
  if (next === undefined) {
    const names = COMMANDS.filter((command) =>
      group.every((part, index) => command.words[index] === part)
    ).map((command) => command.words[group.length]);
    return new UsageError(
      `missing command (one of: ${[...new Set(names)].join(", ")})`,
      where,
    );
  }
  return new UsageError(
    next.startsWith("-")
      ? `unrecognized option '${next}'`
      : `unknown command '${next}'`,
    where,
  );
}

/**
 * `mntns help [COMMAND...]`: prints the help of what the words name, and
 * never runs anything (`help run sh -c x` is a usage error, not a run).
 */
async function printHelp(words: readonly string[]): Promise<number> {
  const found = findCommand(words);
  if ("command" in found) {
    const extra = found.rest.filter((word) =>
      word !== "-h" && word !== "--help"
    );
    if (extra.length > 0) {
      throw new UsageError(
        `unexpected argument '${extra[0]}' (help takes a command's name only)`,
        "mntns help",
      );
    }
    writeOut(helpText(await found.command.spec()));
    return 0;
  }
  const { group, next } = found;
  if (next !== undefined && next !== "-h" && next !== "--help") {
    throw groupError(group, next);
  }
  writeOut(helpText(group.length === 0 ? mainSpec() : groupSpec(group)));
  return 0;
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

/**
 * Runs mntns on this process's words and exits with its status. A hidden
 * stage's words are names and numbers, which `Deno.args` holds exactly; it
 * skips the code-cache turns (its parent stored the cache). The caller's
 * words are read exactly, with the turns.
 *
 * @example
 * ```ts
 * await runMain({ stage: false });
 * ```
 */
export async function runMain(options: { stage: boolean }): Promise<never> {
  const args = options.stage ? Deno.args : await withCodeCacheTurns(callerArgs);
  Deno.exit(await mntns(args));
}
