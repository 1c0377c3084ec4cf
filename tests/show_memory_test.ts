/**
 * `propagation show` holds what it reads, not what it prints: a saved
 * mountinfo of deeply stacked mounts (a 20 MB file whose tree and list are
 * several times larger) is printed in memory that follows the file, not the
 * output (before the output was streamed, the tree took 17 times the file).
 * Memory, not time: the
 * times are in `deno task bench`.
 */
import assert from "node:assert/strict";
import { MNTNS } from "./helpers.ts";

/** Peak RSS (MiB, GNU time's %M) of mntns with these words, output dropped. */
async function peakMiB(args: readonly string[]): Promise<number> {
  const output = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "@@peak %M", ...MNTNS, ...args],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  return Number(/@@peak (\d+)\n$/.exec(stderr)![1]) / 1024;
}

/**
 * A mountinfo of `count` mounts, each on the previous one's subdirectory
 * `d`: line n's mount point is n levels deep.
 */
function stackedMountinfo(count: number): string {
  const lines = ["1 0 0:1 / / rw - ext4 /dev/vda rw"];
  let target = "/s";
  for (let id = 2; id <= count; id++) {
    lines.push(
      `${id} ${id - 1} 0:50 /src ${target} rw,relatime - tmpfs t rw`,
    );
    target += "/d";
  }
  return lines.join("\n") + "\n";
}

Deno.test({
  name:
    "show --list and the tree of a 20 MB mountinfo of stacked mounts stay within 6 times the file above mntns's start",
  ignore: !(() => {
    try {
      return Deno.statSync("/usr/bin/time").isFile;
    } catch {
      return false;
    }
  })(),
  fn: async () => {
    const file = Deno.makeTempFileSync({ suffix: ".mountinfo" });
    try {
      const text = stackedMountinfo(4400);
      Deno.writeTextFileSync(file, text);
      const fileMiB = text.length / 1024 / 1024;
      assert.ok(fileMiB > 18, `${fileMiB} MiB`);
      const start = await peakMiB(["--version"]);
      for (const args of [["--list"], [], ["-r"], ["--json"]]) {
        const peak = await peakMiB([
          "propagation",
          "show",
          "--mountinfo",
          file,
          ...args,
        ]);
        assert.ok(
          peak - start <= 6 * fileMiB,
          `show ${args.join(" ")}: ${peak.toFixed(0)} MiB at peak (${
            start.toFixed(0)
          } MiB to start; the file: ${fileMiB.toFixed(0)} MiB)`,
        );
      }
    } finally {
      Deno.removeSync(file);
    }
  },
});
