/**
 * The documentation's shell examples, as tests: README.md, CONTRIBUTING.md
 * and every file of docs/. Every code block, fenced at any indent (under a
 * list item too), is placed in one of these kinds, or the file has a
 * problem ({@linkcode DocExamples.problems}):
 *
 * - an example: a block with no language (or `console`) whose lines start
 *   with `$ ` commands (lines before the first one may be `# ` comments).
 *   Each `$ ` line is a command and the lines after it, up to the next
 *   `$ ` line, are what it prints (stdout and stderr together). An example
 *   runs in a throw-away namespace: its session starts at the command
 *   {@linkcode THROWAWAY}, written as the first command of its block, and
 *   goes on through the later examples of the same `#`/`##` section;
 * - skipped: a block right after `<!-- readme-test: skip REASON -->` is not
 *   run (its `$ ` commands must still start in a throw-away namespace);
 * - text: a block fenced as `text` or `json` is shown, not run.
 *
 * Any other block (a `sh` block with no skip comment, a block with no `$ `
 * line, a command outside a session, an indented code block) is a problem.
 * A session's commands run in order in one namespace as
 * {@linkcode THROWAWAY} makes it — new mount and PID namespaces with their
 * own /proc, so `--all-namespaces` sees only theirs, and a tmpfs on /tmp —
 * with `mntns` and `deno` commands on PATH, in the checkout; each output is
 * compared with the text, with mount ids, peer groups, namespace inodes and
 * pids normalised ({@linkcode renumbered}) and runs of blanks made one.
 *
 * `deno run -A tests/readme_examples.ts [FILE]` prints what each example of
 * FILE (README.md) prints now, to update the text.
 *
 * @module
 */

import { MNTNS_SHELL_WORDS, ROOT_DIR } from "./under_test.ts";
import { type Outcome, run, shellQuote } from "./processes.ts";

/**
 * The command that starts every example session, as the documentation
 * writes it: a throw-away mount and PID namespace, its own /proc, and a
 * tmpfs on /tmp, so that pasting the commands after it changes nothing
 * outside it. {@linkcode runSession} makes the same namespace.
 */
export const THROWAWAY =
  "unshare -mpf --mount-proc bash -c 'mount -t tmpfs tmp /tmp; exec bash'";

/** One command of an example and what the text says it prints. */
export interface ExampleCommand {
  /** The command line, without `$ `. */
  command: string;
  /** The lines it prints, as the text has them. */
  expected: string;
  /** Its line in the file, counting from 1. */
  line: number;
}

/** The commands that run in one throw-away namespace, in order. */
export interface ExampleSession {
  /** The file, relative to the checkout. */
  file: string;
  /** The heading of the section it is in, without the `#`s. */
  heading: string;
  /** The line of its {@linkcode THROWAWAY} command. */
  line: number;
  /** Its commands, in order, from every example block of the session. */
  commands: ExampleCommand[];
}

/** What one file's code blocks are. */
export interface DocExamples {
  /** The sessions to run. */
  sessions: ExampleSession[];
  /** Blocks left out, each with its line and reason. */
  skipped: { line: number; reason: string }[];
  /** Blocks that could not be placed: `FILE:LINE: what is wrong`. */
  problems: string[];
}

const SKIP = /^<!-- readme-test: skip (.+) -->$/;
const FENCE = /^( *)```(\S*)\s*$/;
const TEXT_LANGUAGES = new Set(["text", "json"]);
const EXAMPLE_LANGUAGES = new Set(["", "console"]);

/** A fenced block as it was read. */
interface Block {
  /** Its language (the fence's info string). */
  language: string;
  /** The skip comment's reason before it, if any. */
  skip: string | null;
  /** The line of the opening fence, counting from 1. */
  line: number;
  /** Its lines, the fence's indent removed. */
  lines: string[];
}

/**
 * The code blocks of a Markdown file, placed.
 *
 * @example
 * ```ts
 * const fence = "`".repeat(3);
 * docExamples(`## x\n\n${fence}\n$ ${THROWAWAY}\n$ echo hi\nhi\n${fence}\n`, "x.md")
 *   .sessions[0].commands; // [{ command: "echo hi", expected: "hi", line: 5 }]
 * ```
 */
export function docExamples(text: string, file: string): DocExamples {
  const result: DocExamples = { sessions: [], skipped: [], problems: [] };
  const lines = text.split("\n");
  let heading = "";
  let session: ExampleSession | null = null;
  let pendingSkip: string | null = null;
  let lastText = "";
  const problem = (line: number, message: string): void => {
    result.problems.push(`${file}:${line}: ${message}`);
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const fence = FENCE.exec(line);
    if (fence === null) {
      if (/^#{1,2} /.test(line)) {
        heading = line.replace(/^#+ /, "");
        session = null;
      }
      const skip = SKIP.exec(line);
      if (skip) pendingSkip = skip[1];
      else if (line.trim() !== "") pendingSkip = null;
      if (
        /^( {4}|\t)/.test(line) && lines[index - 1]?.trim() === "" &&
        !/^(\s*[-*] |\s*\d+\. | {2})/.test(lastText)
      ) {
        problem(
          index + 1,
          "an indented code block: fence it (```text if it is not run)",
        );
      }
      if (line.trim() !== "") lastText = line;
      continue;
    }
    const indent = fence[1].length;
    const block: Block = {
      language: fence[2],
      skip: pendingSkip,
      line: index + 1,
      lines: [],
    };
    pendingSkip = null;
    for (index++; index < lines.length; index++) {
      if (lines[index].trim() === "```") break;
      block.lines.push(lines[index].slice(indent));
    }
    lastText = "```";
    session = placeBlock(block, { file, heading, session, result, problem });
  }
  for (const each of result.sessions) {
    for (const command of each.commands) {
      command.expected = command.expected.replace(/\n+$/, "");
    }
  }
  return result;
}

/** Places one block; returns the session that goes on after it. */
function placeBlock(
  block: Block,
  context: {
    file: string;
    heading: string;
    session: ExampleSession | null;
    result: DocExamples;
    problem: (line: number, message: string) => void;
  },
): ExampleSession | null {
  const { result, problem } = context;
  if (TEXT_LANGUAGES.has(block.language)) return context.session;
  const first = block.lines.findIndex((line) => line.startsWith("$ "));
  const before = block.lines.slice(0, first === -1 ? undefined : first)
    .filter((line) => line.trim() !== "" && !line.startsWith("# "));
  const startsSession = first !== -1 &&
    block.lines[first] === `$ ${THROWAWAY}`;
  if (block.skip !== null) {
    result.skipped.push({ line: block.line, reason: block.skip });
    if (first !== -1 && !startsSession && context.session === null) {
      problem(
        block.line,
        `its commands start outside a throw-away namespace: begin with $ ${THROWAWAY}`,
      );
    }
    return context.session;
  }
  if (!EXAMPLE_LANGUAGES.has(block.language)) {
    problem(
      block.line,
      `a \`\`\`${block.language} block that is not run: fence it as text, or put <!-- readme-test: skip REASON --> before it`,
    );
    return context.session;
  }
  if (first === -1 || before.length > 0) {
    problem(
      block.line,
      first === -1
        ? "a block with no `$ ` command: fence it as ```text if it is not run"
        : `text before its first \`$ \` command: ${before[0]}`,
    );
    return context.session;
  }
  let session = context.session;
  if (startsSession) {
    session = {
      file: context.file,
      heading: context.heading,
      line: block.line + first + 1,
      commands: [],
    };
    result.sessions.push(session);
  } else if (session === null) {
    problem(
      block.line,
      `its commands start outside a throw-away namespace: begin with $ ${THROWAWAY}`,
    );
    return null;
  }
  let current: ExampleCommand | null = null;
  block.lines.forEach((line, offset) => {
    if (offset < first) return;
    if (offset === first && startsSession) return;
    if (line.startsWith("$ ")) {
      current = {
        command: line.slice(2),
        expected: "",
        line: block.line + offset + 1,
      };
      session!.commands.push(current);
    } else if (current !== null) {
      current.expected += `${line}\n`;
    }
  });
  return session;
}

/** The files whose code blocks are examples, relative to the checkout. */
export function docFiles(): string[] {
  const docs = [...Deno.readDirSync(`${ROOT_DIR}docs`)]
    .filter((entry) => entry.isFile && entry.name.endsWith(".md"))
    .map((entry) => `docs/${entry.name}`).sort();
  return ["README.md", "CONTRIBUTING.md", ...docs];
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

/** What each command of a session printed, in order. */
export interface SessionRun {
  /** Each command's output (stdout and stderr together). */
  outputs: string[];
  /** The whole run, for a failure's report. */
  outcome: Outcome;
}

/**
 * Runs a session's commands, in order, in the namespace
 * {@linkcode THROWAWAY} makes (mount and PID namespaces with a fresh /proc,
 * /tmp a fresh tmpfs), in the checkout, where `mntns` runs the mntns under
 * test and `deno` the deno running the tests.
 *
 * @example
 * ```ts
 * const { sessions } = docExamples(Deno.readTextFileSync("README.md"), "README.md");
 * const { outputs } = await runSession(sessions[0]);
 * ```
 */
export async function runSession(session: ExampleSession): Promise<SessionRun> {
  const marker = `@@readme-example-${crypto.randomUUID()}`;
  // `mntns` is a command on PATH, so that commands run by mntns find it too.
  // A checkout under /tmp stays where it was: bound back from a descriptor
  // opened before the tmpfs covers it.
  const root = ROOT_DIR.replace(/\/$/, "");
  const keepRoot = root.startsWith("/tmp/")
    ? [
      `exec 9<${shellQuote(root)}`,
      "mount -t tmpfs tmp /tmp",
      `mkdir -p ${shellQuote(root)}`,
      `mount --no-canonicalize --bind /proc/self/fd/9 ${
        shellQuote(root)
      } && exec 9<&-`,
    ]
    : ["mount -t tmpfs tmp /tmp"];
  const script = [
    ...keepRoot,
    "mkdir /tmp/.bin",
    `printf '#!/bin/sh\\nexec %s "$@"\\n' ${
      shellQuote(MNTNS_SHELL_WORDS)
    } > /tmp/.bin/mntns`,
    `ln -s ${shellQuote(Deno.execPath())} /tmp/.bin/deno`,
    "chmod +x /tmp/.bin/mntns && PATH=/tmp/.bin:$PATH",
    `cd ${shellQuote(root)}`,
    ...session.commands.map((command) =>
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
  ], { cwd: ROOT_DIR, env: { NO_COLOR: "1" } });
  const parts = outcome.stdout.split(`${marker}\n`);
  return { outputs: parts.slice(1, -1), outcome };
}

if (import.meta.main) {
  const file = Deno.args[0] ?? "README.md";
  const text = Deno.readTextFileSync(`${ROOT_DIR}${file}`);
  for (const session of docExamples(text, file).sessions) {
    const { outputs } = await runSession(session);
    console.log(`## ${session.heading} (${file}:${session.line})`);
    session.commands.forEach((command, index) => {
      console.log(`$ ${command.command}\n${outputs[index] ?? "(nothing)"}`);
    });
  }
}
