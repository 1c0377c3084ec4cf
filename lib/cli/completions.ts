/**
 * `mntns completions bash|zsh|fish`: a completion script for a shell, made
 * from the commands' own declarations (lib/cli/command_interface.ts).
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { parseCommandLine } from "./options.ts";
import { writeOut } from "./output.ts";
import { cliInterface } from "./command_interface.ts";
import { bashCompletion } from "./completion_bash.ts";
import { zshCompletion } from "./completion_zsh.ts";
import { fishCompletion } from "./completion_fish.ts";

const COMMAND = "mntns completions";

/** Help for `mntns completions`. */
export const COMPLETIONS_HELP = `Usage: mntns completions bash|zsh|fish

Print a completion script for the shell: every command, option, mode and
column mntns has, made from the declarations its parser uses; process ids
for -N/--pid, mount points for PATH, directories for ROOTFS and DIR.

Install:
  bash  eval "$(mntns completions bash)" in ~/.bashrc, or save it as
        /usr/share/bash-completion/completions/mntns
  zsh   save it as _mntns in a directory of $fpath
  fish  save it as ~/.config/fish/completions/mntns.fish

Options:
  -h, --help  show this help
`;

const GENERATORS = {
  bash: bashCompletion,
  zsh: zshCompletion,
  fish: fishCompletion,
} as const;

/**
 * Runs `mntns completions`; returns the exit status.
 *
 * @example
 * ```ts
 * await completionsCommand(["bash"]);
 * ```
 */
export async function completionsCommand(
  args: readonly string[],
): Promise<number> {
  const parsed = parseCommandLine({
    args,
    options: {},
    command: COMMAND,
    positionals: true,
    help: COMPLETIONS_HELP,
  });
  if (parsed === null) return 0;
  const [shell, ...extra] = parsed.positionals;
  if (shell === undefined || extra.length > 0) {
    throw new UsageError(
      shell === undefined
        ? "expected SHELL"
        : `unexpected argument '${extra[0]}'`,
      COMMAND,
    );
  }
  if (!Object.hasOwn(GENERATORS, shell)) {
    throw new UsageError(
      `unknown shell '${shell}' (one of: ${
        Object.keys(GENERATORS).join(", ")
      })`,
      COMMAND,
    );
  }
  writeOut(GENERATORS[shell as keyof typeof GENERATORS](await cliInterface()));
  return 0;
}
