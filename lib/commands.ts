/**
 * Every subcommand, declared once: the words that name it, a line for the
 * help, and how it runs — its words parsed by cli/ into a plan (plan/),
 * carried out by exec/, reported by cli/. This is the one place the layers
 * meet; each subcommand's modules are imported only when it runs.
 *
 * @module
 */

import {
  ENTER_STAGE,
  ENTER_WAIT_STAGE,
  EXEC_STAGE,
  RUN_STAGE,
  WAIT_STAGE,
} from "./exec/stages/stage_names.ts";
import { readCaller } from "./system/proc.ts";
import { type CommandSpec, HELP_OPTION } from "./cli/command_spec.ts";
import type { CommandRow, CommandTable } from "./cli/command_interface.ts";

/** One subcommand. */
export interface Command {
  /** The words that name it: `["propagation", "show"]`. */
  words: readonly string[];
  /** Its arguments, for the command list. */
  usage: string;
  /** What it does, in a line. */
  summary: string;
  /** Its spec: options, operands and help (loaded when asked for). */
  spec(): Promise<CommandSpec>;
  /** Runs it with the words after its name; returns the exit status. */
  run(args: readonly string[]): Promise<number>;
}

/** The subcommands, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  {
    words: ["run"],
    usage: "[opts] [--] [cmd...]",
    summary:
      "a command in new mount, UTS, PID, IPC and network namespaces, with a fresh /proc",
    spec: async () => (await import("./cli/run.ts")).RUN_SPEC,
    run: async (args) => {
      const { parseRunArgs } = await import("./cli/run.ts");
      const plan = parseRunArgs(args, readCaller());
      if (plan === null) return 0;
      return (await import("./exec/run.ts")).executeRun(plan);
    },
  },
  {
    words: ["isolate"],
    usage: "[opts] [--] [cmd...]",
    summary:
      "a new mount namespace with a chosen propagation, like unshare -m --propagation",
    spec: async () => (await import("./cli/isolate.ts")).ISOLATE_SPEC,
    run: async (args) => {
      const { parseIsolateArgs } = await import("./cli/isolate.ts");
      const plan = parseIsolateArgs(args, readCaller());
      if (plan === null) return 0;
      return (await import("./exec/isolate.ts")).executeIsolate(plan);
    },
  },
  {
    words: ["enter"],
    usage: "TARGET [opts] [--] [cmd...]",
    summary:
      "a command in the namespaces of a process, a kept namespace or a run, like nsenter",
    spec: async () => (await import("./cli/enter.ts")).ENTER_SPEC,
    run: async (args) => {
      const { parseEnterArgs } = await import("./cli/enter.ts");
      const plan = parseEnterArgs(args, readCaller());
      if (plan === null) return 0;
      return (await import("./exec/enter.ts")).executeEnter(plan);
    },
  },
  {
    words: ["ps"],
    usage: "[--json]",
    summary: "every running mntns run: its PIDs, hostname and namespaces",
    spec: async () => (await import("./cli/ps.ts")).PS_SPEC,
    run: async (args) =>
      (await import("./cli/ps.ts")).psCommand(args, {
        wait: WAIT_STAGE,
        run: RUN_STAGE,
      }),
  },
  {
    words: ["propagation", "show"],
    usage: "[PATH...]",
    summary: "the mount tree with propagation, peer groups and masters",
    spec: async () => (await import("./cli/propagation_show.ts")).SHOW_SPEC,
    run: async (args) =>
      (await import("./cli/propagation_show.ts")).showCommand(args),
  },
  {
    words: ["propagation", "set"],
    usage: "MODE PATH [-r]",
    summary: "make a mount private, shared, slave or unbindable",
    spec: async () => (await import("./cli/propagation_set.ts")).SET_SPEC,
    run: async (args) => {
      const cli = await import("./cli/propagation_set.ts");
      const prepared = cli.prepareSet(args);
      if (prepared === null) return 0;
      (await import("./exec/set.ts")).applySetPlan(prepared.plan);
      return cli.reportSet(prepared);
    },
  },
  {
    words: ["propagation", "peers"],
    usage: "",
    summary: "every peer group: its members and its slaves",
    spec: async () => (await import("./cli/propagation_peers.ts")).PEERS_SPEC,
    run: async (args) =>
      (await import("./cli/propagation_peers.ts")).peersCommand(args),
  },
  {
    words: ["propagation", "reach"],
    usage: "PATH",
    summary: "where a mount made at PATH would appear",
    spec: async () => (await import("./cli/propagation_reach.ts")).REACH_SPEC,
    run: async (args) =>
      (await import("./cli/propagation_reach.ts")).reachCommand(args),
  },
  {
    words: ["propagation", "check"],
    usage: "[ROOTFS...]",
    summary: "warn about propagation hazards (exit 1 on a warning)",
    spec: async () => (await import("./cli/propagation_check.ts")).CHECK_SPEC,
    run: async (args) =>
      (await import("./cli/propagation_check.ts")).checkCommand(args),
  },
  {
    words: ["propagation", "watch"],
    usage: "[PATH...]",
    summary: "print mount events as they happen, grouped across namespaces",
    spec: async () => (await import("./cli/propagation_watch.ts")).WATCH_SPEC,
    run: async (args) => {
      const cli = await import("./cli/propagation_watch.ts");
      const plan = cli.parseWatchArgs(args);
      if (plan === null) return 0;
      return (await import("./exec/watch.ts")).executeWatch({
        plan,
        words: ["propagation", "watch", ...args],
        render: plan.json ? cli.watchJson : cli.watchText,
      });
    },
  },
  {
    words: ["completions"],
    usage: "bash|zsh|fish",
    summary: "a completion script for a shell, made from these declarations",
    spec: async () => (await import("./cli/completions.ts")).COMPLETIONS_SPEC,
    run: async (args) =>
      (await import("./cli/completions.ts")).completionsCommand(
        args,
        await loadCommandTable(),
      ),
  },
];

/** `mntns help [COMMAND...]`, listed with the commands. */
export const HELP_COMMAND = {
  words: ["help"],
  usage: "[COMMAND...]",
  summary: "the help of mntns, or of a command",
} as const;

/**
 * mntns's own spec: what `mntns --help` prints.
 *
 * @example
 * ```ts
 * import { helpText } from "./cli/command_spec.ts";
 * helpText(mainSpec()).startsWith("Usage: mntns <command>"); // true
 * ```
 */
export function mainSpec(): CommandSpec {
  return {
    usage: "mntns <command> [options]",
    about: [
      {
        paragraph:
          "Mount namespaces and mount propagation, easy to use, to see and to trust.",
      },
      commandList([]),
    ],
    optionWidth: 16,
    options: {
      ...HELP_OPTION,
      version: { type: "boolean", short: "V", help: "show the version" },
    },
    after: [{
      paragraph:
        `Exit status: the command's own for run, isolate and enter; 1 when something
failed; 2 for wrong usage. Run 'mntns <command> --help' (or 'mntns help
<command>') for a command's options.`,
    }],
    operands: [{ placeholder: "COMMAND" }],
  };
}

/**
 * A group's spec: what `mntns GROUP --help` prints (`mntns propagation --help`).
 *
 * @example
 * ```ts
 * import { helpText } from "./cli/command_spec.ts";
 * helpText(groupSpec(["propagation"])).startsWith("Usage: mntns propagation <command>"); // true
 * ```
 */
export function groupSpec(group: readonly string[]): CommandSpec {
  const name = ["mntns", ...group].join(" ");
  return {
    usage: `${name} <command> [options]`,
    about: [commandList(group)],
    optionWidth: 12,
    options: {},
    after: [{
      paragraph: `Run '${name} <command> --help' for a command's options.`,
    }],
    operands: [{ placeholder: "COMMAND" }],
  };
}

/**
 * Every command with its spec loaded, for the completion scripts and the
 * man page.
 *
 * @example
 * ```ts
 * (await loadCommandTable()).commands.length; // 12, help included
 * ```
 */
export async function loadCommandTable(): Promise<CommandTable> {
  const commands: CommandRow[] = [];
  for (const command of COMMANDS) {
    commands.push({
      words: command.words,
      usage: command.usage,
      summary: command.summary,
      spec: await command.spec(),
    });
  }
  commands.push({
    ...HELP_COMMAND,
    spec: {
      ...mainSpec(),
      options: {},
      operands: [{ placeholder: "COMMAND", repeated: true }],
    },
  });
  return { commands, main: mainSpec(), group: groupSpec };
}

/** The hidden stages mntns runs as when it starts itself again. */
export const STAGES: Readonly<
  Record<string, (args: readonly string[]) => Promise<number>>
> = {
  [RUN_STAGE]: async (args) =>
    (await import("./exec/stages/run_stage.ts")).runStageMain(args),
  [WAIT_STAGE]: async (args) =>
    (await import("./exec/stages/wait_stage.ts")).waitStageMain(args),
  [EXEC_STAGE]: async (args) =>
    (await import("./exec/stages/exec_stage.ts")).execStageMain(args),
  [ENTER_STAGE]: async (args) =>
    (await import("./exec/stages/enter_stage.ts")).enterStageMain(args),
  [ENTER_WAIT_STAGE]: async (args) =>
    (await import("./exec/stages/wait_stage.ts")).waitStageMain(args),
};

/** What the words name: a command and the words after its name, or a group. */
export type Lookup =
  | { command: Command; rest: readonly string[] }
  | { group: readonly string[]; next: string | undefined };

/**
 * Finds the command the words name (the longest match); otherwise the
 * group they stopped in (`[]` for the top level, `["propagation"]`) and the
 * word that did not fit.
 *
 * @example
 * ```ts
 * findCommand(["propagation", "show", "--list"]); // { command: <show>, rest: ["--list"] }
 * ```
 */
export function findCommand(args: readonly string[]): Lookup {
  let group: readonly string[] = [];
  for (let depth = 0;; depth++) {
    const word = args[depth];
    const prefix = [...group, word];
    const matches = COMMANDS.filter((command) =>
      prefix.every((part, index) => command.words[index] === part)
    );
    const exact = matches.find((command) =>
      command.words.length === prefix.length
    );
    if (exact) return { command: exact, rest: args.slice(depth + 1) };
    if (word === undefined || matches.length === 0) {
      return { group, next: word };
    }
    group = prefix;
  }
}

/**
 * The commands below a group, one entry each (usage and summary), for help.
 *
 * @example
 * ```ts
 * commandList(["propagation"]).entries[0]; // ["show [PATH...]", "the mount tree ..."]
 * ```
 */
export function commandList(
  group: readonly string[],
): { title: string; entries: [string, string][] } {
  const listed = group.length === 0 ? [...COMMANDS, HELP_COMMAND] : COMMANDS;
  return {
    title: "Commands",
    entries: listed.filter((command) =>
      group.every((part, index) => command.words[index] === part)
    ).map((command) => [
      [...command.words.slice(group.length), command.usage].join(" ").trim(),
      command.summary,
    ]),
  };
}
