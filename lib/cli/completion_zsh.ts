/**
 * The zsh completion script, generated from {@linkcode CliInterface}: one
 * `_arguments` function per command, one dispatching function per group.
 * It works as `_mntns` in a directory of `$fpath` and when sourced (then it
 * registers itself with `compdef`).
 *
 * @module
 */

import type {
  CliInterface,
  CommandInterface,
  GroupInterface,
  OptionInterface,
} from "./command_interface.ts";
import type { Completion } from "./command_spec.ts";
import { singleQuoted as quoted } from "../plan/shell_quote.ts";

/** An explanation for `[...]` in an `_arguments` spec. */
function explanation(text: string): string {
  return text.replace(/[[\]\\]/g, (char) => `\\${char}`);
}

/** A message or value for an `_arguments` spec, colons escaped. */
function specText(text: string): string {
  return text.replace(/[:\\]/g, (char) => `\\${char}`);
}

/** The `_arguments` action that completes a value. */
function action(
  value: { completes: Completion; list: boolean; label: string },
): string {
  const { completes, list, label } = value;
  if ("words" in completes) {
    const words = completes.words.map(specText);
    return list
      ? `_values -s , ${specText(label)} ${words.join(" ")}`
      : `(${words.join(" ")})`;
  }
  switch (completes.kind) {
    case "pid":
      return "_pids";
    case "file":
      return "_files";
    case "directory":
      return "_files -/";
    case "mountpoint":
      return "_mntns_mountpoints";
    case "command":
      return "_command_names -e";
    case "fstype":
      return "_mntns_fstypes";
    case "subcommand":
      return "_mntns_command_words";
    case "user":
      return "_users";
    case "target":
      return "_mntns_targets";
    case "none":
      return " ";
  }
}

function functionName(words: readonly string[]): string {
  return ["_mntns", ...words].join("_").replaceAll("-", "_");
}

/** `_arguments` specs for one option (one per flag, braces expanded by zsh). */
function optionSpec(option: OptionInterface): string {
  const exclusive = option.multiple ? "*" : `(${option.flags.join(" ")})`;
  const flags = option.flags.map((flag) => {
    if (!option.takesValue) return flag;
    if (option.optionalValue) return `${flag}=-`;
    return flag.startsWith("--") ? `${flag}=` : `${flag}+`;
  });
  const spec = flags.length === 1 ? flags[0] : `{${flags.join(",")}}`;
  let text = `${quoted(exclusive)}${spec}${
    quoted(`[${explanation(option.text)}]`)
  }`;
  if (option.completes !== null) {
    const label = option.placeholder ?? "VALUE";
    text += quoted(
      `${option.optionalValue ? "::" : ":"}${specText(label)}:${
        action({ completes: option.completes, list: option.list, label })
      }`,
    );
  }
  return text;
}

function commandFunction(command: CommandInterface): string {
  const specs = command.options.map(optionSpec);
  const runsCommand = command.operands.some((operand) =>
    "kind" in operand.completes && operand.completes.kind === "command"
  );
  command.operands.forEach((operand, index) => {
    const last = index === command.operands.length - 1;
    const label = specText(operand.placeholder);
    const what = action({
      completes: operand.completes,
      list: false,
      label: operand.placeholder,
    });
    specs.push(
      quoted(
        last && operand.repeated && !runsCommand
          ? `*:${label}:${what}`
          : `${index + 1}:${label}:${what}`,
      ),
    );
  });
  if (runsCommand) specs.push(quoted("*::arguments:_normal"));
  return `${functionName(command.words)}() {
  _arguments -s -S${runsCommand ? " -A '-*'" : ""} \\
    ${specs.join(" \\\n    ")}
}`;
}

function groupFunction(group: GroupInterface): string {
  const name = functionName(group.words);
  const title = ["mntns", ...group.words].join(" ");
  return `${name}() {
  local curcontext=$curcontext state line
  local -a commands
  commands=(
    ${
    group.children.map((child) =>
      quoted(`${specText(child.word)}:${child.summary}`)
    ).join("\n    ")
  }
  )
  _arguments -C \\
    ${group.options.map(optionSpec).join(" \\\n    ")} \\
    '1:command:->command' \\
    '*::argument:->argument'
  case $state in
    command) _describe -t commands ${quoted(`${title} command`)} commands ;;
    argument)
      case $words[1] in
${
    group.children.map((child) =>
      `        ${quoted(child.word)}) ${
        functionName([...group.words, child.word])
      } ;;`
    ).join("\n")
  }
      esac ;;
  esac
}`;
}

/**
 * The zsh completion script for mntns.
 *
 * @example
 * ```ts
 * import { cliInterface } from "./command_interface.ts";
 * import { loadCommandTable } from "../commands.ts";
 * zshCompletion(cliInterface(await loadCommandTable())).startsWith("#compdef mntns"); // true
 * ```
 */
export function zshCompletion(cli: CliInterface): string {
  const words = [
    ...new Set(
      cli.groups.flatMap((group) => group.children.map((child) => child.word)),
    ),
  ];
  return `#compdef mntns
# zsh completion for mntns: generated by 'mntns completions zsh' from the
# option declarations mntns parses with. Save it as _mntns in a directory of
# $fpath, or source it.

_mntns_mountpoints() {
  local -a points
  points=(\${(f)"$(awk '{ print $5 }' /proc/self/mountinfo)"})
  compadd -a points
}

_mntns_fstypes() {
  local -a types
  types=(\${(f)"$(awk '{ print $NF }' /proc/filesystems)"})
  compadd -a types
}

_mntns_targets() {
  local -a targets
  targets=(\${(f)"$(mntns ps 2>/dev/null | awk 'NR > 1 { print $1; if ($3 != "-") print $3 }'
    awk '$4 ~ /^mnt:\\[/ { print $5 }' /proc/self/mountinfo)"})
  compadd -a targets
}

_mntns_command_words() {
  compadd ${words.map(quoted).join(" ")}
}

${cli.commands.map(commandFunction).join("\n\n")}

${cli.groups.map(groupFunction).join("\n\n")}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _mntns "$@"
else
  compdef _mntns mntns
fi
`;
}
