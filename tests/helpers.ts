/**
 * Test helpers: running mntns and shell scripts, throw-away outer mount
 * namespaces, and the root requirement.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT_DIR: string = fileURLToPath(new URL("..", import.meta.url));

/**
 * The words that start mntns: `deno run -A main.ts` by default; the bundle or
 * a compiled binary when `MNTNS_UNDER_TEST` names one (a `.js` file runs under
 * this deno).
 */
export const MNTNS: readonly string[] = mntnsCommand(
  Deno.env.get("MNTNS_UNDER_TEST"),
);

function mntnsCommand(underTest: string | undefined): string[] {
  if (underTest === undefined || underTest === "") {
    return [Deno.execPath(), "run", "-A", `${ROOT_DIR}main.ts`];
  }
  return underTest.endsWith(".js")
    ? [Deno.execPath(), "run", "-A", underTest]
    : [underTest];
}

/** The mntns command as shell words, for `exec` in scripts. */
export const MNTNS_SHELL_WORDS: string = MNTNS.map(shellQuote).join(" ");

/** A shell function `mntns` that runs mntns, put before every script. */
const MNTNS_FUNCTION = `mntns() { ${MNTNS_SHELL_WORDS} "$@"; }\n`;

/**
 * Quotes a word for a POSIX shell.
 *
 * @example
 * ```ts
 * shellQuote("it's"); // "'it'\\''s'"
 * ```
 */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** What a finished process left. */
export interface Outcome {
  pid: number;
  code: number;
  signal: Deno.Signal | null;
  stdout: string;
  stderr: string;
}

/** Options of {@linkcode run}. */
export interface RunOptions {
  /** Extra environment. */
  env?: Record<string, string>;
  /** Text for stdin; none: stdin is /dev/null. */
  stdin?: string;
  /** Clear the environment first. */
  clearEnv?: boolean;
  /** Working directory. */
  cwd?: string;
}

/**
 * Runs a program to completion and collects its output.
 *
 * @example
 * ```ts
 * const { code, stdout } = await run(["hostname"]);
 * ```
 */
export async function run(
  argv: readonly string[],
  options: RunOptions = {},
): Promise<Outcome> {
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    env: options.env,
    clearEnv: options.clearEnv,
    cwd: options.cwd,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const result = await child.output();
  const decoder = new TextDecoder();
  return {
    pid: child.pid,
    code: result.code,
    signal: result.signal,
    stdout: decoder.decode(result.stdout),
    stderr: decoder.decode(result.stderr),
  };
}

/**
 * Runs mntns with the given words.
 *
 * @example
 * ```ts
 * const { code } = await mntns(["--version"]);
 * ```
 */
export function mntns(
  args: readonly string[],
  options: RunOptions = {},
): Promise<Outcome> {
  return run([...MNTNS, ...args], options);
}

/**
 * Runs a bash script (`set -eu`) in which `mntns` runs the mntns under test.
 *
 * @example
 * ```ts
 * await bash("echo hi");
 * ```
 */
export function bash(
  script: string,
  options: RunOptions = {},
): Promise<Outcome> {
  return run(["bash", "-euc", MNTNS_FUNCTION + script], options);
}

/**
 * Runs a bash script inside a throw-away outer mount namespace
 * (`unshare -m --propagation private`) with a fresh tmpfs mounted at `$T`.
 * Nothing it mounts can reach this machine's mounts, and all of it goes away
 * when the script's last process exits. The script ends with `true` so bash
 * does not exec its last command and the namespace lives until the end; its
 * background jobs are killed when it exits, however it exits.
 *
 * @example
 * ```ts
 * const { stdout } = await inScratchNamespace("mount --make-shared $T; findmnt -no PROPAGATION $T");
 * ```
 */
export async function inScratchNamespace(
  script: string,
  options: RunOptions = {},
): Promise<Outcome> {
  const dir = Deno.makeTempDirSync({ prefix: "mntns-test-" });
  try {
    return await run(
      [
        "unshare",
        "-m",
        "--propagation",
        "private",
        "bash",
        "-euc",
        `${MNTNS_FUNCTION}trap 'kill $(jobs -p) 2>/dev/null || :' EXIT
T=${shellQuote(dir)}; mount -t tmpfs scratch "$T"; ${script}\ntrue`,
      ],
      options,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/**
 * Whether tests that need root run. They need root; under `CI=true` they
 * always run (and fail when not root), never skip.
 */
export const NEEDS_ROOT_IGNORED: boolean = Deno.uid() !== 0 &&
  Deno.env.get("CI") !== "true";

/**
 * A test that needs root (mounts, namespaces), checking that this
 * machine's own mount table is the same after it as before.
 *
 * @example
 * ```ts
 * rootTest("shows mounts", async () => { ... });
 * ```
 */
export function rootTest(name: string, fn: () => Promise<void>): void {
  Deno.test({
    name: `${name} [root]`,
    ignore: NEEDS_ROOT_IGNORED,
    fn: async () => {
      const before = Deno.readTextFileSync("/proc/self/mountinfo");
      await fn();
      const after = Deno.readTextFileSync("/proc/self/mountinfo");
      if (before !== after) {
        throw new Error(
          "this machine's own mount table changed during the test",
        );
      }
    },
  });
}

/**
 * Asserts a process outcome, showing its output when it differs.
 *
 * @example
 * ```ts
 * expectCode(await mntns(["--help"]), 0);
 * ```
 */
export function expectCode(outcome: Outcome, code: number): Outcome {
  if (outcome.code !== code) {
    throw new Error(
      `expected exit ${code}, got ${outcome.code} (signal ${outcome.signal})\n--- stdout\n${outcome.stdout}\n--- stderr\n${outcome.stderr}`,
    );
  }
  return outcome;
}
