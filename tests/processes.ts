/**
 * Running programs from tests: a program, mntns, a bash script; what they
 * left (output, exit status, the signals they ignore), and processes left
 * behind.
 *
 * @module
 */

import { singleQuoted as shellQuote } from "../lib/plan/shell_quote.ts";
import { MNTNS, MNTNS_EMULATED, MNTNS_FUNCTION } from "./under_test.ts";

/** Quotes a word for a POSIX shell (lib/plan/shell_quote.ts). */
export { shellQuote };

/**
 * Processes of this machine whose command line matches `pattern` (an
 * extended regular expression, as `pgrep -f` takes it), one a line. A
 * stage of mntns counts only when it is of the mntns under test (its main
 * module or binary): other copies may be running tests at the same time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(await leftovers("sleep 10[1-4]"), "");
 * ```
 */
export async function leftovers(pattern: string): Promise<string> {
  const { stdout } = await run(["pgrep", "-af", pattern]);
  const ours = MNTNS[MNTNS.length - 1];
  return stdout.split("\n").filter((line) =>
    line && !line.includes("pgrep") &&
    (!line.includes("__mntns") || line.includes(ours))
  ).join("\n");
}

/**
 * {@linkcode leftovers}, asked again every tenth of a second for up to
 * `seconds` until none is left: processes that are ending (a killed
 * namespace's, an earlier test's) go in their own time, slower under
 * emulation. Returns what is still left then.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(await leftoversWithin("sleep 10[1-4]", 2), "");
 * ```
 */
export async function leftoversWithin(
  pattern: string,
  seconds: number,
): Promise<string> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const left = await leftovers(pattern);
    if (left === "" || Date.now() > end) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
 * Whether the emulator running mntns (see `MNTNS_EMULATED`) lacks the mount
 * API `run --rootfs` needs: qemu-user 7.2 (Debian 12) implements neither
 * `open_tree`, `move_mount`, `mount_setattr` nor `openat2`, so there
 * `run --rootfs ROOT` refuses in one line (ENOSYS) before it mounts
 * anything, which this checks. Natively, or with an emulator that has them,
 * false: the caller tests `--rootfs` for real.
 *
 * @example
 * ```ts
 * if (await emulatorRefusesRootfs("/tmp/root")) {
 *   // the refusal was checked; nothing more to see under this emulator
 * }
 * ```
 */
export async function emulatorRefusesRootfs(root: string): Promise<boolean> {
  if (!MNTNS_EMULATED) return false;
  const outcome = await mntns(["run", "--rootfs", root, "--", "/bin/true"]);
  if (outcome.code === 0) return false;
  const refusal =
    /^mntns: open_tree\([^\n]*\): ENOSYS \(Function not implemented\) — needs Linux 5\.12 or later\n$/;
  if (outcome.code !== 1 || !refusal.test(outcome.stderr)) {
    throw new Error(
      `run --rootfs under emulation: exit ${outcome.code}\n${outcome.stderr}`,
    );
  }
  return true;
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
 * Runs `body` with a path that does not exist: `missing` inside a fresh
 * temporary directory, which is removed afterwards. A fixed name such as
 * `/nonexistent` may exist on some machine; this one cannot.
 *
 * @example
 * ```ts
 * await withMissingPath(async (missing) => {
 *   expectCode(await mntns(["propagation", "show", missing]), 1);
 * });
 * ```
 */
export async function withMissingPath<T>(
  body: (missing: string) => Promise<T>,
): Promise<T> {
  const dir = Deno.makeTempDirSync({ prefix: "mntns-missing-" });
  try {
    return await body(`${dir}/missing`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/**
 * The signals a `SigIgn:` (or `SigBlk:`) line of a `/proc/PID/status` text
 * holds, in increasing order.
 *
 * @example
 * ```ts
 * signalsIn("SigIgn:\t0000000000000201\n", "SigIgn"); // [1, 10]
 * ```
 */
export function signalsIn(
  status: string,
  field: "SigIgn" | "SigBlk",
): number[] {
  const hex = new RegExp(`^${field}:\\t([0-9a-f]{16})$`, "m").exec(status)?.[1];
  if (hex === undefined) throw new Error(`no ${field} line in:\n${status}`);
  const mask = BigInt(`0x${hex}`);
  return Array.from({ length: 64 }, (_, i) => i + 1).filter((signal) =>
    ((mask >> BigInt(signal - 1)) & 1n) === 1n
  );
}

/**
 * Checks the signals a command ignores (the `SigIgn:` line of its
 * `/proc/PID/status`): exactly those its caller ignored. Under emulation
 * (see {@linkcode MNTNS_EMULATED}) qemu-user changes two things, so there
 * they are compared as sets, the command's within the caller's and 32:
 * qemu-user installs a handler of its own for every signal, so mntns, which
 * reads its caller's from `/proc/self/status`, sees none ignored and cannot
 * keep them so; and it keeps the host's signal 32 out of the emulated
 * program's reach, so a 32 the caller ignored (every child of glibc's
 * `posix_spawn`, the test runner's too) stays ignored. SIGPIPE, which Deno
 * ignores, must come back at its default either way.
 *
 * @example
 * ```ts
 * expectIgnoredSignals({ status: "SigIgn:\t0000000000000200\n", callerIgnored: [10] });
 * ```
 */
export function expectIgnoredSignals(
  options: { status: string; callerIgnored: readonly number[] },
): void {
  const ignored = signalsIn(options.status, "SigIgn");
  const allowed = MNTNS_EMULATED
    ? [...options.callerIgnored, 32]
    : options.callerIgnored;
  const fits = MNTNS_EMULATED
    ? ignored.every((signal) => allowed.includes(signal))
    : ignored.join(",") === [...allowed].sort((a, b) => a - b).join(",");
  if (!fits) {
    throw new Error(
      `the command ignores signals ${ignored.join(", ") || "none"}; expected ${
        MNTNS_EMULATED ? "a subset of" : "exactly"
      } ${allowed.join(", ") || "none"}`,
    );
  }
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
