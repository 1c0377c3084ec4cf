/**
 * Peak memory of a command, as GNU time measures it (the kernel's
 * ru_maxrss), for the bench and the memory tests.
 *
 * @module
 */

/**
 * Peak RSS (MiB, GNU time's %M) of `argv`, its output dropped; throws with
 * its stderr when it fails.
 *
 * @example
 * ```ts
 * await peakRssMiB(["true"]); // 1.5
 * ```
 */
export async function peakRssMiB(argv: readonly string[]): Promise<number> {
  const output = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "@@peak %M", ...argv],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  if (!output.success) {
    throw new Error(
      `${argv.join(" ")} failed (exit ${output.code}): ${stderr}`,
    );
  }
  return Number(/@@peak (\d+)\n$/.exec(stderr)![1]) / 1024;
}
