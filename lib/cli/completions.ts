/**
 * `mntns completions bash|zsh|fish`: a completion script for a shell, made
 * from the table of command specs it is given.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { parseCommandLine } from "./options.ts";
import { writeOut } from "./output.ts";
import { cliInterface, type CommandTable } from "./command_interface.ts";
import type { CommandSpec } from "./command_spec.ts";
import { bashCompletion } from "./completion_bash.ts";
import { zshCompletion } from "./completion_zsh.ts";
import { fishCompletion } from "./completion_fish.ts";

const COMMAND = "mntns completions";

/** `mntns completions`: its options and help. */
export const COMPLETIONS_SPEC = {
  usage: "mntns completions bash|zsh|fish",
  about: [{
    paragraph:
      `Print a completion script for the shell: every command, option, mode and
column mntns has, made from the declarations its parser uses; process ids
for -N/--pid, mount points for PATH, directories for ROOTFS and DIR.`,
  }, {
    title: "Install",
    entries: [
      [
        "bash",
        `eval "$(mntns completions bash)" in ~/.bashrc, or save it as
/usr/share/bash-completion/completions/mntns`,
      ],
      ["zsh", "save it as _mntns in a directory of $fpath"],
      ["fish", "save it as ~/.config/fish/completions/mntns.fish"],
    ],
  }],
  optionWidth: 12,
  options: {},
  after: [],
  operands: [{ placeholder: "bash|zsh|fish" }],
} as const satisfies CommandSpec;

const GENERATORS = {
  bash: bashCompletion,
  zsh: zshCompletion,
  fish: fishCompletion,
};

/**
 * Runs `mntns completions`; returns the exit status.
 *
 * @example
 * ```ts
 * import { loadCommandTable } from "../commands.ts";
 * completionsCommand(["bash"], await loadCommandTable());
 * ```
 */
export function completionsCommand(
  args: readonly string[],
  table: CommandTable,
): number {
  const parsed = parseCommandLine({
    args,
    spec: COMPLETIONS_SPEC,
    command: COMMAND,
    positionals: true,
  });
  if (parsed === null) return 0;
  const [shell, extra] = parsed.positionals;
  if (shell === undefined) throw new UsageError("expected SHELL", COMMAND);
  if (extra !== undefined) {
    throw new UsageError(`unexpected argument '${extra}'`, COMMAND);
  }
  if (!Object.hasOwn(GENERATORS, shell)) {
    const shells = Object.keys(GENERATORS).join(", ");
    throw new UsageError(
      `unknown shell '${shell}' (one of: ${shells})`,
      COMMAND,
    );
  }
  writeOut(GENERATORS[shell as keyof typeof GENERATORS](cliInterface(table)));
  return 0;
}
