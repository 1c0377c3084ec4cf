/**
 * Prints `N passed, N failed` from a JUnit report of `deno test`, for CI.
 *
 * @module
 */

/**
 * Counts the passed and failed test cases of a JUnit XML report.
 *
 * @example
 * ```ts
 * junitCounts('<testcase name="a"></testcase>'); // { passed: 1, failed: 0 }
 * ```
 */
export function junitCounts(xml: string): { passed: number; failed: number } {
  const cases = xml.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
  let passed = 0;
  let failed = 0;
  for (const testCase of cases) {
    if (/<(failure|error)\b/.test(testCase)) failed++;
    else if (!/<skipped\b/.test(testCase)) passed++;
  }
  return { passed, failed };
}

if (import.meta.main) {
  const { passed, failed } = junitCounts(Deno.readTextFileSync(Deno.args[0]));
  console.log(`${passed} passed, ${failed} failed`);
}
