/**
 * The README's shell examples, as tests: every fenced block with `$ `
 * lines is an example; each `$ ` line is a command (setup included, as the
 * text writes it) and the lines after it, up to the next `$ ` line, are what
 * it prints (stdout and stderr together). The examples of one `## ` section
 * run in order in one throw-away namespace — new mount and PID namespaces
 * with their own /proc, so `--all-namespaces` sees only theirs, a tmpfs on
 * /tmp, and `mntns` a command on PATH — and each output is compared with
 * the text, with mount ids, peer groups, namespace inodes and pids
 * normalised ({@linkcode renumbered}) and runs of blanks made one. A block after `<!-- readme-test: skip REASON -->` is not run.
 *
 * `deno run -A tests/readme_examples.ts [README]` prints what each example
 * prints now, to update the text.
 *
 * @module
 */

import {
  MNTNS_SHELL_WORDS,
  type Outcome,
  ROOT_DIR,
  run,
  shellQuote,
} from "./helpers.ts";

/** One command of an example and what the README says it prints. */
export interface ExampleCommand {
  /** The command line, without `$ `. */
  command: string;
  /** The lines it prints, as the README has them. */
  expected: string;
  /** Its line in the README, counting from 1. */
  line: number;
}

/** The examples of one `## ` section. */
export interface ExampleSection {
  /** The section's heading, without `## `. */
  heading: string;
  /** Its commands, in order, from every example block in it. */
  commands: ExampleCommand[];
  /** Blocks left out, each with its line and reason. */
  skipped: { line: number; reason: string }[];
}

const SKIP = /^<!-- readme-test: skip (.+) -->$/;

/**
 * The README's sections that hold examples.
 *
 * @example
 * ```ts
 * const fence = "`".repeat(3);
 * readmeExamples(`## x\n\n${fence}\n$ echo hi\nhi\n${fence}\n`)[0].commands;
 * // [{ command: "echo hi", expected: "hi", line: 4 }]
 * ```
 */
export function readmeExamples(readme: string): ExampleSection[] {
  const sections: ExampleSection[] = [];
  const lines = readme.split("\n");
  let section: ExampleSection | null = null;
  let block: { skip: string | null } | null = null;
  let pendingSkip: string | null = null;
  let current: ExampleCommand | null = null;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (block === null) {
      if (line.startsWith("## ")) {
        section = { heading: line.slice(3), commands: [], skipped: [] };
        sections.push(section);
      }
      const skip = SKIP.exec(line);
      if (skip) pendingSkip = skip[1];
      else if (line.startsWith("```")) {
        block = { skip: pendingSkip };
        pendingSkip = null;
        current = null;
      } else if (line.trim() !== "") pendingSkip = null;
      continue;
    }
    if (line.startsWith("```")) {
      block = null;
      current = null;
      continue;
    }
    if (section === null) continue;
    if (line.startsWith("$ ")) {
      if (block.skip !== null) {
        if (!section.skipped.some((each) => each.reason === block!.skip)) {
          section.skipped.push({ line: index + 1, reason: block.skip });
        }
        continue;
      }
      current = { command: line.slice(2), expected: "", line: index + 1 };
      section.commands.push(current);
    } else if (current !== null) {
      current.expected += `${line}\n`;
    }
  }
  for (const each of sections) {
    for (const command of each.commands) {
      command.expected = command.expected.replace(/\n+$/, "");
    }
  }
  return sections.filter((each) =>
    each.commands.length > 0 || each.skipped.length > 0
  );
}

/**
 * Text with runs of blanks made one space, lines trimmed and trailing empty
 * lines dropped.
 *
 * @example
 * ```ts
 * normalizeBlanks("  1  peer\n\n"); // "1 peer"
 * ```
 */
export function normalizeBlanks(text: string): string {
  return text.split("\n").map((line) => line.replace(/\s+/g, " ").trim())
    .join("\n").replace(/\n+$/, "");
}

/**
 * What a command printed, as it is compared with the README: blanks
 * normalised, and each number written as the README's number in the same
 * place, as long as the README's numbers map to the printed ones
 * consistently (ids, inodes and pids differ from run to run, the pattern
 * they form does not; two of the README's numbers may be one number here,
 * as a group id and a pid both 1). Where the words differ, or a README
 * number stands for two printed ones, the printed text is left as it is,
 * so the comparison fails and shows it.
 *
 * @example
 * ```ts
 * renumbered("1 peer 112\n1 slave 113", "3 peer 86\n3 slave 87"); // "3 peer 86\n3 slave 87"
 * renumbered("1 peer 112\n2 slave 113", "3 peer 86\n3 slave 87"); // "3 peer 86\n2 slave 87"
 * ```
 */
export function renumbered(printed: string, expected: string): string {
  const ours = normalizeBlanks(printed).match(/\d+|\D+/g) ?? [];
  const theirs = normalizeBlanks(expected).match(/\d+|\D+/g) ?? [];
  const isNumber = (token: string): boolean => /^\d/.test(token);
  if (
    ours.length !== theirs.length ||
    ours.some((token, index) =>
      isNumber(token) !== isNumber(theirs[index]) ||
      (!isNumber(token) && token !== theirs[index])
    )
  ) {
    return normalizeBlanks(printed);
  }
  const standsFor = new Map<string, string>();
  return ours.map((token, index) => {
    if (!isNumber(token)) return token;
    const readme = theirs[index];
    const seen = standsFor.get(readme);
    if (seen !== undefined && seen !== token) return token;
    standsFor.set(readme, token);
    return readme;
  }).join("");
}

/** What each command of a section printed, in order. */
export interface SectionRun {
  /** Each command's output (stdout and stderr together). */
  outputs: string[];
  /** The whole run, for a failure's report. */
  outcome: Outcome;
}

/**
 * Runs a section's commands, in order, in one throw-away namespace (mount
 * and PID namespaces with a fresh /proc, /tmp a fresh tmpfs, the working
 * directory an empty one in it) where `mntns` runs the mntns under test.
 *
 * @example
 * ```ts
 * const readme = Deno.readTextFileSync("README.md");
 * const { outputs } = await runSection(readmeExamples(readme)[0]);
 * ```
 */
export async function runSection(section: ExampleSection): Promise<SectionRun> {
  const marker = `@@readme-example-${crypto.randomUUID()}`;
  // `mntns` is a command on PATH, so that commands run by mntns find it too.
  // A checkout under /tmp stays where it was: bound back from a descriptor
  // opened before the tmpfs covers it.
  const root = ROOT_DIR.replace(/\/$/, "");
  const keepRoot = root.startsWith("/tmp/")
    ? [
      `exec 9<${shellQuote(root)}`,
      "mount -t tmpfs readme /tmp",
      `mkdir -p ${shellQuote(root)}`,
      `mount --no-canonicalize --bind /proc/self/fd/9 ${
        shellQuote(root)
      } && exec 9<&-`,
    ]
    : ["mount -t tmpfs readme /tmp"];
  const script = [
    ...keepRoot,
    "mkdir /tmp/.bin",
    `printf '#!/bin/sh\\nexec %s "$@"\\n' ${
      shellQuote(MNTNS_SHELL_WORDS)
    } > /tmp/.bin/mntns`,
    "chmod +x /tmp/.bin/mntns && PATH=/tmp/.bin:$PATH",
    'cd "$(mktemp -d)"',
    ...section.commands.map((command) =>
      `printf '%s\\n' '${marker}'\n{ ${command.command}\n} 2>&1`
    ),
    `printf '%s\\n' '${marker}'`,
  ].join("\n");
  const outcome = await run([
    "unshare",
    "--mount",
    "--pid",
    "--fork",
    "--mount-proc",
    "--propagation",
    "private",
    "bash",
    "-c",
    script,
  ], { cwd: ROOT_DIR });
  const parts = outcome.stdout.split(`${marker}\n`);
  return { outputs: parts.slice(1, -1), outcome };
}

if (import.meta.main) {
  const readme = Deno.readTextFileSync(Deno.args[0] ?? `${ROOT_DIR}README.md`);
  for (const section of readmeExamples(readme)) {
    const { outputs } = await runSection(section);
    console.log(`## ${section.heading}`);
    section.commands.forEach((command, index) => {
      console.log(`$ ${command.command}\n${outputs[index] ?? "(nothing)"}`);
    });
  }
}
