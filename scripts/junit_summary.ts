/**
 * Prints `N passed, N failed` (and `, N skipped` when N > 0) from JUnit
 * reports of `deno test`, added up, for CI, and exits 1 when the run is not
 * a pass: a test failed, the reports hold no test, or, under `CI=true`, a
 * test was skipped (tests that need root must run in CI, never skip).
 *
 * Usage: `deno run --allow-read --allow-env=CI scripts/junit_summary.ts FILE...`
 *
 * @module
 */

/** How many test cases (test steps included) passed, failed and were skipped. */
export interface JunitCounts {
  /** Cases with neither a failure, an error nor a skip. */
  passed: number;
  /** Cases with a `<failure>` or an `<error>`. */
  failed: number;
  /** Cases with `<skipped/>`: ignored tests and steps. */
  skipped: number;
}

/**
 * Counts the passed, failed and skipped test cases of a JUnit XML report.
 *
 * @example
 * ```ts
 * junitCounts('<testcase name="a"></testcase><testcase name="b"><skipped/></testcase>');
 * // { passed: 1, failed: 0, skipped: 1 }
 * ```
 */
export function junitCounts(xml: string): JunitCounts {
  const cases = xml.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const testCase of cases) {
    if (/<(failure|error)\b/.test(testCase)) counts.failed++;
    else if (/<skipped\b/.test(testCase)) counts.skipped++;
    else counts.passed++;
  }
  return counts;
}

/**
 * The counts of several JUnit reports, added up.
 *
 * @example
 * ```ts
 * totalCounts(['<testcase name="a"/>', '<testcase name="b"/>']);
 * // { passed: 2, failed: 0, skipped: 0 }
 * ```
 */
export function totalCounts(reports: readonly string[]): JunitCounts {
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const report of reports) {
    const counts = junitCounts(report);
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  return total;
}

/**
 * The summary line: `N passed, N failed`, then `, N skipped` only when N is
 * more than 0.
 *
 * @example
 * ```ts
 * summaryLine({ passed: 3, failed: 1, skipped: 0 }); // "3 passed, 1 failed"
 * summaryLine({ passed: 3, failed: 0, skipped: 2 }); // "3 passed, 0 failed, 2 skipped"
 * ```
 */
export function summaryLine(counts: JunitCounts): string {
  const line = `${counts.passed} passed, ${counts.failed} failed`;
  return counts.skipped > 0 ? `${line}, ${counts.skipped} skipped` : line;
}

/**
 * Why the run is not a pass, or null when it is: a failed test, no test at
 * all, or (when `ci` is true) a skipped test.
 *
 * @example
 * ```ts
 * runProblem({ passed: 3, failed: 0, skipped: 1 }, true);
 * // "1 test skipped under CI=true: tests that need root must run in CI (run as root)"
 * runProblem({ passed: 3, failed: 0, skipped: 1 }, false); // null
 * ```
 */
export function runProblem(counts: JunitCounts, ci: boolean): string | null {
  const tests = (n: number): string => `${n} test${n === 1 ? "" : "s"}`;
  if (counts.failed > 0) return `${tests(counts.failed)} failed`;
  if (ci && counts.skipped > 0) {
    return `${
      tests(counts.skipped)
    } skipped under CI=true: tests that need root must run in CI (run as root)`;
  }
  if (counts.passed + counts.skipped === 0) {
    return "the report holds no test case: did the test run start?";
  }
  return null;
}

if (import.meta.main) {
  const counts = totalCounts(
    Deno.args.map((file) => Deno.readTextFileSync(file)),
  );
  console.log(summaryLine(counts));
  const problem = runProblem(counts, Deno.env.get("CI") === "true");
  if (problem !== null) {
    console.error(`junit_summary: ${problem}`);
    Deno.exitCode = 1;
  }
}
