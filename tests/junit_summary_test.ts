/**
 * scripts/junit_summary.ts on reports as `deno test --junit-path` writes
 * them, and the status of `.ci/run` it decides (with a stand-in `npx`).
 */
import assert from "node:assert/strict";
import {
  junitCounts,
  runProblem,
  summaryLine,
  totalCounts,
} from "../scripts/junit_summary.ts";
import { ROOT_DIR } from "./under_test.ts";
import { run } from "./processes.ts";

/** A report of deno 2.9.6: a pass, an ignored test, a failure, steps. */
const REPORT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="deno test" tests="6" failures="1" errors="0" time="0.063">
    <testsuite name="./a_test.ts" tests="6" disabled="2" errors="0" failures="1">
        <testcase name="ok" classname="./a_test.ts" time="0.001" line="1" col="6">
        </testcase>
        <testcase name="skip" classname="./a_test.ts" time="0.000" line="2" col="6">
            <skipped/>
        </testcase>
        <testcase name="fail" classname="./a_test.ts" time="0.001" line="3" col="6">
            <failure message="Uncaught Error: x">Error: x
    at file:///tmp/a_test.ts:3:33</failure>
        </testcase>
        <testcase name="steps" classname="./a_test.ts" time="0.037" line="4" col="6">
        </testcase>
        <testcase name="steps &gt; s1" classname="./a_test.ts" time="0.000" line="4" col="43">
        </testcase>
        <testcase name="steps &gt; s2" classname="./a_test.ts" time="0.000" line="4" col="73">
            <skipped/>
        </testcase>
    </testsuite>
</testsuites>
`;

/** A report with one passing and `skipped` ignored test cases. */
function reportWith(skipped: number): string {
  return `<testsuites><testsuite name="x">
<testcase name="a" classname="x"></testcase>
${`<testcase name="b" classname="x"><skipped/></testcase>\n`.repeat(skipped)}
</testsuite></testsuites>\n`;
}

Deno.test("junitCounts counts passed, failed and skipped cases and steps", () => {
  assert.deepEqual(junitCounts(REPORT), { passed: 3, failed: 1, skipped: 2 });
  assert.deepEqual(
    junitCounts('<testcase name="e"><error message="x"/></testcase>'),
    { passed: 0, failed: 1, skipped: 0 },
  );
  assert.deepEqual(junitCounts('<testcase name="a"/>'), {
    passed: 1,
    failed: 0,
    skipped: 0,
  });
  assert.deepEqual(junitCounts(""), { passed: 0, failed: 0, skipped: 0 });
});

Deno.test("summaryLine names skipped tests only when there are some", () => {
  assert.equal(
    summaryLine({ passed: 3, failed: 1, skipped: 2 }),
    "3 passed, 1 failed, 2 skipped",
  );
  assert.equal(
    summaryLine({ passed: 3, failed: 0, skipped: 0 }),
    "3 passed, 0 failed",
  );
});

Deno.test("runProblem: failures, an empty report, and skips under CI", () => {
  assert.equal(
    runProblem({ passed: 3, failed: 2, skipped: 0 }, false),
    "2 tests failed",
  );
  assert.equal(runProblem({ passed: 3, failed: 0, skipped: 2 }, false), null);
  assert.equal(
    runProblem({ passed: 3, failed: 0, skipped: 1 }, true),
    "1 test skipped under CI=true: tests that need root must run in CI (run as root)",
  );
  assert.equal(runProblem({ passed: 3, failed: 0, skipped: 0 }, true), null);
  assert.match(
    runProblem({ passed: 0, failed: 0, skipped: 0 }, false) ?? "",
    /^the report holds no test case/,
  );
});

/**
 * Runs a copy of `.ci/run` (and the summary script) in a temporary
 * directory, with an `npx` on PATH whose `deno task ci` writes `report` and
 * exits `status`, whose `deno task test:arm64` writes `arm64Report` (one
 * passing test unless given) and exits `arm64Status` (0), and whose
 * `deno run` is this deno; an `apt-get` stand-in on PATH refuses, so the
 * copy cannot change this machine's packages.
 */
async function ciRun(
  options: {
    report: string;
    status: number;
    ci: boolean;
    arm64Report?: string;
    arm64Status?: number;
  },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = Deno.makeTempDirSync({ prefix: "mntns-ci-" });
  try {
    Deno.mkdirSync(`${dir}/.ci`);
    Deno.mkdirSync(`${dir}/scripts`);
    Deno.mkdirSync(`${dir}/bin`);
    Deno.copyFileSync(`${ROOT_DIR}.ci/run`, `${dir}/.ci/run`);
    Deno.copyFileSync(
      `${ROOT_DIR}scripts/junit_summary.ts`,
      `${dir}/scripts/junit_summary.ts`,
    );
    Deno.writeTextFileSync(`${dir}/report.xml`, options.report);
    Deno.writeTextFileSync(
      `${dir}/arm64.xml`,
      options.arm64Report ?? reportWith(0),
    );
    Deno.writeTextFileSync(
      `${dir}/bin/npx`,
      `#!/bin/sh
shift 2 # -y deno@VERSION
case "$1" in
  --version) echo "deno (stand-in)" ;;
  task)
    case "$2" in
      ci) cp report.xml test-results.xml; exit ${options.status} ;;
      test:arm64) cp arm64.xml test-results-arm64.xml; exit ${
        options.arm64Status ?? 0
      } ;;
    esac ;;
  run) exec "$REAL_DENO" "$@" ;;
  *) echo "stand-in npx: unexpected $*" >&2; exit 99 ;;
esac
`,
      { mode: 0o755 },
    );
    Deno.writeTextFileSync(
      `${dir}/bin/apt-get`,
      `#!/bin/sh\necho "stand-in apt-get: not in this test" >&2\nexit 99\n`,
      { mode: 0o755 },
    );
    const outcome = await run(["bash", `${dir}/.ci/run`], {
      env: {
        PATH: `${dir}/bin:${Deno.env.get("PATH")}`,
        REAL_DENO: Deno.execPath(),
        CI: options.ci ? "true" : "",
      },
    });
    return outcome;
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test(".ci/run: a skipped test fails the run under CI=true only", async () => {
  // Each count is the sum of the two reports: task ci's and test:arm64's.
  const underCi = await ciRun({ report: reportWith(1), status: 0, ci: true });
  assert.equal(
    underCi.stdout.trimEnd().split("\n").at(-1),
    "2 passed, 0 failed, 1 skipped",
  );
  assert.match(underCi.stderr, /junit_summary: 1 test skipped under CI=true/);
  assert.equal(underCi.code, 1);
  const outside = await ciRun({ report: reportWith(1), status: 0, ci: false });
  assert.equal(outside.code, 0, outside.stderr);
  const clean = await ciRun({ report: reportWith(0), status: 0, ci: true });
  assert.equal(clean.stdout.trimEnd().split("\n").at(-1), "2 passed, 0 failed");
  assert.equal(clean.code, 0, clean.stderr);
  const failed = await ciRun({ report: reportWith(0), status: 3, ci: true });
  assert.equal(failed.code, 3);
});

Deno.test(".ci/run: a failure of the ARM64 subset fails the run and is counted", async () => {
  const outcome = await ciRun({
    report: reportWith(0),
    status: 0,
    ci: true,
    arm64Report:
      `<testsuites><testsuite name="x"><testcase name="a"><failure message="x"/></testcase></testsuite></testsuites>\n`,
    arm64Status: 1,
  });
  assert.equal(
    outcome.stdout.trimEnd().split("\n").at(-1),
    "1 passed, 1 failed",
  );
  assert.equal(outcome.code, 1);
});

Deno.test("totalCounts adds up several reports", () => {
  assert.deepEqual(totalCounts([REPORT, reportWith(1)]), {
    passed: 4,
    failed: 1,
    skipped: 3,
  });
});
