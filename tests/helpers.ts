/**
 * Test helpers: running mntns and shell scripts, throw-away outer mount
 * namespaces, and the root requirement.
 *
 * @module
 */

import { singleQuoted as shellQuote } from "../lib/plan/shell_quote.ts";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT_DIR: string = fileURLToPath(new URL("..", import.meta.url));

/**
 * The deno that runs mntns's source or bundle: `MNTNS_DENO` when it names one
 * (`deno task test:arm64` names the aarch64 deno, run under emulation), else
 * the deno running the tests.
 */
export const MNTNS_DENO: string = Deno.env.get("MNTNS_DENO") || Deno.execPath();

/**
 * The words that start mntns: `deno run -A main.ts` by default; the bundle or
 * a compiled binary when `MNTNS_UNDER_TEST` names one (a `.js` file runs under
 * {@linkcode MNTNS_DENO}).
 */
export const MNTNS: readonly string[] = mntnsCommand(
  Deno.env.get("MNTNS_UNDER_TEST"),
);

function mntnsCommand(underTest: string | undefined): string[] {
  if (underTest === undefined || underTest === "") {
    return [MNTNS_DENO, "run", "-A", `${ROOT_DIR}main.ts`];
  }
  return underTest.endsWith(".js")
    ? [MNTNS_DENO, "run", "-A", underTest]
    : [underTest];
}

/** ELF `e_machine` numbers of the architectures mntns knows. */
const ELF_MACHINES: Readonly<Record<number, string>> = {
  62: "x86_64",
  183: "aarch64",
};

/**
 * The architecture an executable is built for, from its ELF header: a
 * `Deno.build.arch` name, `machine N` for another one, or null when it is
 * not an ELF file.
 *
 * @example
 * ```ts
 * elfArchitecture(Deno.execPath()); // "x86_64"
 * ```
 */
export function elfArchitecture(path: string): string | null {
  const file = Deno.openSync(path);
  try {
    const header = new Uint8Array(20);
    if (file.readSync(header) !== header.length) return null;
    if (header[0] !== 0x7f || header[1] !== 0x45) return null;
    const machine = new DataView(header.buffer).getUint16(18, true);
    return ELF_MACHINES[machine] ?? `machine ${machine}`;
  } finally {
    file.close();
  }
}

/** The architecture the program that runs mntns is built for. */
export const MNTNS_ARCH: string = elfArchitecture(MNTNS[0]) ?? Deno.build.arch;

/**
 * Whether mntns runs under emulation: its program is built for another
 * architecture than the one running the tests, so qemu-user runs it
 * (through binfmt_misc; `deno task test:arm64`). Tests that depend on what
 * qemu-user changes say so where they check it.
 */
export const MNTNS_EMULATED: boolean = MNTNS_ARCH !== Deno.build.arch;

/**
 * How many times longer a test waits for mntns than natively: a Deno start
 * takes about 0.02 s natively and 1.4 to 5 s under qemu-user.
 */
export const PATIENCE: number = MNTNS_EMULATED ? 30 : 1;

/** The mntns command as shell words, for `exec` in scripts. */
export const MNTNS_SHELL_WORDS: string = MNTNS.map(shellQuote).join(" ");

/** A shell function `mntns` that runs mntns, put before every script. */
const MNTNS_FUNCTION = `mntns() { ${MNTNS_SHELL_WORDS} "$@"; }\n`;

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
 * rootTest("shows mounts", async () => {
 *   expectCode(await mntns(["propagation", "show"]), 0);
 * });
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

/**
 * Shell functions for scripts that build topologies across namespaces:
 * `inns P cmd...` runs a command in the mount namespace of pid P (0: this
 * one); `step P cmd...` does too and, when the command fails, prints
 * `@@setup-failed LINE`, its stderr and `@@end` on stderr and ends the
 * script (LINE counts from the line after the one that sets `setup_line`
 * to `$LINENO`, else from the script's first line); `ifmount P POINT
 * cmd...` is `step P cmd...` when POINT is a mount point in P's namespace
 * and nothing otherwise; `newns VAR P MODE` starts `unshare -m --propagation
 * MODE sleep` from P's namespace, waits until it is in its own namespace,
 * and sets VAR to its pid; `snap` prints `@ns mnt:[N] PID` and the mountinfo
 * of every namespace made so far.
 */
export const NAMESPACE_FUNCTIONS = `
inns() { local p=$1; shift; if [ "$p" = 0 ]; then "$@"; else nsenter -t "$p" -m -- "$@"; fi; }
setup_line=0
step() {
  local err
  if ! err=$(inns "$@" 2>&1 >/dev/null); then
    printf '@@setup-failed %d\n%s\n@@end\n' "$((BASH_LINENO[-1] - setup_line))" "$err" >&2
    exit 1
  fi
}
ifmount() { local p=$1 point=$2; shift 2; if inns "$p" mountpoint -q "$point"; then step "$p" "$@"; fi; }
pids=$$; known=" $(readlink /proc/$$/ns/mnt) "
newns() {
  local var=$1 p n tries=0
  if [ "$2" = 0 ]; then set -- unshare -m --propagation "$3" sleep 1000
  else set -- nsenter -t "$2" -m -- unshare -m --propagation "$3" sleep 1000; fi
  { exec "$@"; } & p=$!
  while n=$(readlink /proc/$p/ns/mnt) && case "$known" in *" $n "*) true;; *) false;; esac; do
    tries=$((tries + 1)); [ $tries -lt 2000 ] || { echo "newns: pid $p never left its namespace" >&2; exit 1; }
    sleep 0.005
  done
  known="$known$n "; pids="$pids $p"; eval "$var=$p"
}
snap() { for p in $pids; do echo "@ns $(readlink /proc/$p/ns/mnt) $p"; cat /proc/$p/mountinfo; done; }
`;

/** Where a mount event was predicted to go and where it went. */
export interface ReachObservation {
  /** `reach --json` as printed. */
  prediction: {
    path: string;
    mount: { id: number; target: string; ns: number };
    reaches: { ns: number; pid: number; mountId: number; target: string }[];
    misses: {
      ns: number;
      pid: number;
      mountId: number;
      target: string;
      reason: string;
    }[];
  };
  /** `NS MOUNT-ID TARGET` of each predicted place, sorted. */
  predicted: string[];
  /** `NS PARENT-ID TARGET` of each mount that appeared, sorted. */
  observed: string[];
  /** The script's processes (itself and its sleepers) and their namespaces. */
  processes: { pid: number; ns: number }[];
  /** The whole script, for reproducing a failure. */
  script: string;
}

function mountsByNamespace(
  snapshot: string,
): Map<number, { pid: number; lines: string[] }> {
  const found = new Map<number, { pid: number; lines: string[] }>();
  let current: string[] = [];
  for (const line of snapshot.split("\n")) {
    const header = /^@ns mnt:\[(\d+)\] (\d+)$/.exec(line);
    if (header) {
      current = [];
      found.set(Number(header[1]), { pid: Number(header[2]), lines: current });
    } else if (line !== "") current.push(line);
  }
  return found;
}

/** What a failed setup command of a topology script left. */
export interface SetupFailureDetails {
  /** The setup line it is on, counting from 1. */
  line: number;
  /** That line's text. */
  text: string;
  /** What the command printed on stderr. */
  stderr: string;
}

/**
 * A setup command of a topology script (a `step`) failed: the topology is
 * not the one the test meant, so nothing it predicts is checked.
 *
 * @example
 * ```ts
 * new SetupFailure({ line: 2, text: "step 0 umount -l $T/a", stderr: "umount: not mounted." }).message;
 * // "setup failed: line 2: step 0 umount -l $T/a\n--- stderr\numount: not mounted."
 * ```
 */
export class SetupFailure extends Error {
  /** Where it failed and what the command said. */
  readonly details: SetupFailureDetails;

  /** A failure of the command on `details.line`. */
  constructor(details: SetupFailureDetails) {
    super(
      `setup failed: line ${details.line}: ${details.text}\n--- stderr\n${details.stderr}`,
    );
    this.name = "SetupFailure";
    this.details = details;
  }
}

/**
 * Runs a topology script (with {@linkcode NAMESPACE_FUNCTIONS}) in a scratch
 * namespace, then asks `mntns propagation reach --json --all-namespaces`
 * about `path` in the namespace of pid `ns` (`0`: the scratch one, else a
 * shell word like `$p1`), mounts a tmpfs there, and reports which
 * (namespace, mount, target) got a new mount. Throws a
 * {@linkcode SetupFailure} when a `step` of `setup` fails, and an `Error`
 * when anything else in the script fails.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const seen = await observeReach({ setup: "mkdir $T/x", ns: "0", path: "$T/x" });
 * assert.deepEqual(seen.observed, seen.predicted);
 * ```
 */
export async function observeReach(
  options: { setup: string; ns: string; path: string },
): Promise<ReachObservation> {
  const { setup, ns, path } = options;
  const pidOption = ns === "0" ? "" : `--pid ${ns}`;
  const script = `${NAMESPACE_FUNCTIONS}setup_line=$LINENO
${setup}
inns ${ns} mkdir -p ${path}
echo '@@before'; snap
echo '@@reach'; mntns propagation reach --json --all-namespaces ${pidOption} ${path}
inns ${ns} mount -t tmpfs EVENT ${path}
echo '@@after'; snap`;
  const outcome = await inScratchNamespace(script);
  const failed = /^@@setup-failed (\d+)\n([\s\S]*?)\n?@@end$/m.exec(
    outcome.stderr,
  );
  if (failed !== null) {
    const line = Number(failed[1]);
    throw new SetupFailure({
      line,
      text: setup.split("\n")[line - 1]?.trim() ?? "(not a setup line)",
      stderr: failed[2],
    });
  }
  if (outcome.code !== 0) {
    throw new Error(
      `the script failed with exit ${outcome.code}:\n${script}\n--- stderr\n${outcome.stderr}`,
    );
  }
  const [, before, reach, after] = outcome.stdout.split(/^@@\w+\n/m);
  const prediction: ReachObservation["prediction"] = JSON.parse(reach);
  const beforeMounts = mountsByNamespace(before);
  const observed: string[] = [];
  for (const [inode, { lines }] of mountsByNamespace(after)) {
    const old = new Set(
      (beforeMounts.get(inode)?.lines ?? []).map((line) => line.split(" ")[0]),
    );
    for (const line of lines) {
      const [id, parent, , , target] = line.split(" ");
      if (!old.has(id)) observed.push(`${inode} ${parent} ${target}`);
    }
  }
  return {
    prediction,
    predicted: prediction.reaches.map((place) =>
      `${place.ns} ${place.mountId} ${place.target}`
    ).sort(),
    observed: observed.sort(),
    processes: [...beforeMounts].map(([ns, { pid }]) => ({ pid, ns })),
    script,
  };
}
