/**
 * `deno task test:arm64` (as root, on a Debian x86_64 machine): runs a
 * subset of the tests with mntns under the aarch64 Deno, emulated by
 * qemu-user, and ends with `N passed, N failed`.
 *
 * It installs what it needs: Debian's `qemu-user`, `qemu-user-binfmt` and
 * `binfmt-support`, the arm64 architecture's `libc6` and `libgcc-s1`, and
 * the test tools; mounts `binfmt_misc` on `/proc/sys/fs/binfmt_misc` when it
 * is not mounted and enables `qemu-aarch64` there (no cross sysroot: a
 * second libc in one Deno process made it spin). It fetches the aarch64
 * Deno of the version `.ci/run` pins (`npm pack @deno/linux-arm64-glibc`)
 * into `$XDG_CACHE_HOME/mntns` (else `~/.cache/mntns`).
 *
 * Then: the libc binding's own tests (`ffi/`, `lib/exec/`) in the aarch64
 * Deno itself, and the subset below with this (x86_64) deno as the test
 * runner and every mntns started by the aarch64 one (`MNTNS_DENO`): only
 * what is under test is emulated, the oracles (util-linux, bash) and the
 * runner's waits stay native. Each step's time is printed.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { runProblem, summaryLine, totalCounts } from "./junit_summary.ts";
import { aptInstall, TEST_TOOLS } from "./test_tools.ts";
import { fileExists } from "../tests/file_exists.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The tests run with mntns emulated. */
const SUBSET = [
  "tests/arch_test.ts",
  "tests/cli_test.ts",
  "tests/isolate_test.ts",
  "tests/propagation_test.ts",
  "tests/run_test.ts",
];

/**
 * Where the JUnit reports go (the binding's tests, then the subset): beside
 * `deno task test`'s, for `.ci/run`'s summary.
 */
const REPORTS = [
  `${ROOT}test-results-arm64-binding.xml`,
  `${ROOT}test-results-arm64.xml`,
];

/** The tests run inside the aarch64 Deno: the binding, in-process. */
const IN_PROCESS = ["ffi/", "lib/exec/"];

const DEBIAN_PACKAGES = [
  "qemu-user",
  "qemu-user-binfmt",
  "binfmt-support",
  "libc6:arm64",
  "libgcc-s1:arm64",
  ...new Set(TEST_TOOLS.map((tool) => tool.pkg)),
];

const BINFMT = "/proc/sys/fs/binfmt_misc";

/** A step that failed, with what to do. */
class StepError extends Error {}

/** Runs a command with inherited output; throws when it fails. */
function step(argv: string[]): void {
  const result = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdout: "inherit",
    stderr: "inherit",
  }).outputSync();
  if (!result.success) {
    throw new StepError(`${argv.join(" ")}: exit ${result.code}`);
  }
}

/** Runs a command and returns its stdout; throws when it fails. */
function output(argv: string[]): string {
  const result = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdout: "piped",
    stderr: "inherit",
  }).outputSync();
  if (!result.success) {
    throw new StepError(`${argv.join(" ")}: exit ${result.code}`);
  }
  return new TextDecoder().decode(result.stdout);
}

function installed(pkg: string): boolean {
  const result = new Deno.Command("dpkg-query", {
    args: ["-W", "-f=${Status}", pkg],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  return new TextDecoder().decode(result.stdout) === "install ok installed";
}

function installPackages(): void {
  const missing = DEBIAN_PACKAGES.filter((pkg) => !installed(pkg));
  if (missing.length === 0) return;
  if (!output(["dpkg", "--print-foreign-architectures"]).includes("arm64")) {
    step(["dpkg", "--add-architecture", "arm64"]);
  }
  if (!aptInstall(missing)) {
    throw new StepError(`apt-get install ${missing.join(" ")} failed`);
  }
}

function enableBinfmt(): void {
  if (!fileExists(`${BINFMT}/status`)) {
    step(["mount", "-t", "binfmt_misc", "binfmt_misc", BINFMT]);
  }
  const entry = `${BINFMT}/qemu-aarch64`;
  if (
    !fileExists(entry) || !Deno.readTextFileSync(entry).startsWith("enabled")
  ) {
    step(["update-binfmts", "--enable", "qemu-aarch64"]);
  }
}

/** The Deno version `.ci/run` pins. */
function pinnedDenoVersion(): string {
  const ci = Deno.readTextFileSync(`${ROOT}.ci/run`);
  const version = /^DENO_VERSION=(\S+)$/m.exec(ci)?.[1];
  if (version === undefined) {
    throw new StepError(
      `${ROOT}.ci/run: no DENO_VERSION=... line — the Deno version is pinned there`,
    );
  }
  return version;
}

/** The aarch64 Deno of `version`, fetched from the npm registry once. */
function aarch64Deno(version: string): string {
  const cache = Deno.env.get("XDG_CACHE_HOME") ??
    `${Deno.env.get("HOME") ?? "/root"}/.cache`;
  const dir = `${cache}/mntns/deno-${version}-aarch64`;
  const deno = `${dir}/deno`;
  if (fileExists(deno)) return deno;
  const work = Deno.makeTempDirSync({ prefix: "mntns-deno-aarch64-" });
  try {
    const tarball = output([
      "npm",
      "pack",
      "-q",
      "--pack-destination",
      work,
      `@deno/linux-arm64-glibc@${version}`,
    ]).trim();
    step(["tar", "-xzf", `${work}/${tarball}`, "-C", work]);
    Deno.mkdirSync(dir, { recursive: true });
    Deno.renameSync(`${work}/package/deno`, deno);
  } finally {
    Deno.removeSync(work, { recursive: true });
  }
  return deno;
}

function checkEmulation(deno: string, version: string): void {
  const seen = output([
    deno,
    "eval",
    "console.log(Deno.build.arch, Deno.version.deno)",
  ]).trim();
  if (seen !== `aarch64 ${version}`) {
    throw new StepError(
      `${deno} reports '${seen}', not 'aarch64 ${version}' — check that qemu-aarch64 is enabled in ${BINFMT}`,
    );
  }
}

/** A JUnit report of one failed case: what went wrong before or instead of the tests. */
function failureReport(what: string): string {
  const text = what.replace(/&/g, "&amp;").replace(/</g, "&lt;")
    .replace(/"/g, "&quot;");
  return `<testsuites><testsuite name="test:arm64"><testcase name="${text}" classname="test:arm64"><failure message="${text}"/></testcase></testsuite></testsuites>\n`;
}

/**
 * Runs `deno test` with its JUnit report at `report`, in a process group of
 * its own that is killed when it runs past `minutes`: under emulation a
 * namespace's first process can hang for good on a signal (qemu-user
 * catches every signal, so the kernel's rule that an init ignores those it
 * has no handler for cannot apply, and qemu's own default action then waits
 * forever). A run that was killed, or left no report or an empty one,
 * leaves a report of one failure saying so.
 */
/** Where the emulated run keeps Deno's caches, apart from the machine's. */
const ARM64_DENO_DIR = `${
  Deno.env.get("HOME") ?? "/root"
}/.cache/mntns/deno-dir-arm64`;

async function testRun(
  options: {
    deno: string;
    args: string[];
    report: string;
    minutes: number;
    env?: Record<string, string>;
  },
): Promise<void> {
  const what = `${options.deno} test ${options.args.join(" ")}`;
  if (fileExists(options.report)) Deno.removeSync(options.report);
  const child = new Deno.Command("setsid", {
    args: [
      options.deno,
      "test",
      "-A",
      "--no-check",
      `--junit-path=${options.report}`,
      ...options.args,
    ],
    cwd: ROOT,
    // A DENO_DIR of its own: after runs where the emulated deno and the
    // native one shared one cache database, every later deno on the machine
    // found that database failing ("disk I/O error").
    env: { ...options.env, DENO_DIR: ARM64_DENO_DIR },
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    Deno.kill(-child.pid, "SIGKILL");
  }, options.minutes * 60_000);
  await child.status;
  clearTimeout(timer);
  let problem: string | null = null;
  if (timedOut) {
    problem = `${what}: ran over ${options.minutes} minutes, killed`;
  } else if (!fileExists(options.report)) problem = `${what}: wrote no report`;
  else {
    const counts = totalCounts([Deno.readTextFileSync(options.report)]);
    if (counts.passed + counts.failed + counts.skipped === 0) {
      problem = `${what}: its report holds no test`;
    }
  }
  if (problem !== null) {
    console.error(`test:arm64: ${problem}`);
    Deno.writeTextFileSync(options.report, failureReport(problem));
  }
}

async function timed<T>(name: string, body: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await body();
  } finally {
    const seconds = (performance.now() - start) / 1000;
    console.log(`test:arm64: ${name}: ${seconds.toFixed(0)} s`);
  }
}

async function main(): Promise<number> {
  if (Deno.uid() !== 0) {
    console.error(
      "test:arm64: needs root (apt-get, binfmt_misc, and the tests) — run it as root",
    );
    return 1;
  }
  const start = performance.now();
  for (const report of REPORTS) {
    if (fileExists(report)) Deno.removeSync(report);
  }
  let deno: string;
  try {
    const version = pinnedDenoVersion();
    await timed("installing qemu-user and arm64 libc", installPackages);
    await timed("binfmt_misc", enableBinfmt);
    deno = await timed(
      `the aarch64 Deno ${version}`,
      () => aarch64Deno(version),
    );
    await timed("a first emulated start", () => checkEmulation(deno, version));
  } catch (error) {
    if (!(error instanceof StepError)) throw error;
    console.error(`test:arm64: ${error.message}`);
    Deno.writeTextFileSync(REPORTS[0], failureReport(error.message));
    console.log("0 passed, 1 failed");
    return 1;
  }
  await timed(
    "the binding's tests inside the aarch64 Deno",
    () => testRun({ deno, args: IN_PROCESS, report: REPORTS[0], minutes: 10 }),
  );
  await timed(
    "the subset with mntns emulated",
    () =>
      testRun({
        deno: Deno.execPath(),
        args: ["--parallel", ...SUBSET],
        report: REPORTS[1],
        minutes: 30,
        env: { MNTNS_DENO: deno },
      }),
  );
  const minutes = (performance.now() - start) / 60_000;
  console.log(`test:arm64: ${minutes.toFixed(1)} minutes in all`);
  const counts = totalCounts(
    REPORTS.map((report) => Deno.readTextFileSync(report)),
  );
  console.log(summaryLine(counts));
  const problem = runProblem(counts, Deno.env.get("CI") === "true");
  if (problem === null) return 0;
  console.error(`test:arm64: ${problem}`);
  return 1;
}

Deno.exit(await main());
