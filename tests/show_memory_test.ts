/**
 * `propagation show` holds what it reads, not what it prints. The tree of
 * 10,000 mounts stacked on one mount point (each a child of the one before,
 * as `mount -t tmpfs sN $T/stack` 10,000 times makes them) is 200 MB of
 * indentation from a mountinfo of under 1 MB: it is written in bounded
 * memory (before the output was streamed it took 800 MiB). A realistic
 * mountinfo (ordinary mounts, renumbered) is listed in memory that follows
 * the file: its bytes once and a small record a mount. And on a host's
 * shape, 20,000 mounts in one shared peer group (tests/shared_shape_peak.ts
 * makes it in a namespace of its own), it peaks at 80 MiB or less. Memory,
 * not time: the times are in `deno task bench`.
 */
import assert from "node:assert/strict";
import { MNTNS } from "./under_test.ts";
import { rootTest } from "./namespaces.ts";
import { peakRssMiB } from "../scripts/peak_rss.ts";

/** Peak RSS (MiB) of mntns with these words, output dropped. */
function peakMiB(args: readonly string[]): Promise<number> {
  return peakRssMiB([...MNTNS, ...args]);
}

/**
 * Writes `text` to a temporary mountinfo file, and gives `check` the peak
 * RSS (MiB) of `propagation show --mountinfo FILE` with more words.
 */
async function withMountinfo(
  text: string,
  check: (
    showPeakMiB: (args: readonly string[]) => Promise<number>,
  ) => Promise<void>,
): Promise<void> {
  const file = Deno.makeTempFileSync({ suffix: ".mountinfo" });
  try {
    Deno.writeTextFileSync(file, text);
    await check((args) =>
      peakMiB(["propagation", "show", "--mountinfo", file, ...args])
    );
  } finally {
    Deno.removeSync(file);
  }
}

/**
 * The mountinfo of `count` tmpfs mounts stacked on `/scratch/stack`, as the
 * kernel writes it: each mount's parent is the one before.
 */
function stackedMountinfo(count: number): string {
  const lines = [
    "1 0 254:0 / / rw,relatime - ext4 /dev/vda rw",
    "2 1 0:30 / /scratch rw,relatime - tmpfs t rw,inode64",
  ];
  for (let id = 3; id < count + 3; id++) {
    lines.push(
      `${id} ${id - 1} 0:${id + 40} / /scratch/stack rw,relatime - tmpfs s${
        id - 3
      } rw,inode64`,
    );
  }
  return lines.join("\n") + "\n";
}

/**
 * A mountinfo of `count` ordinary mounts: bind mounts of one directory
 * side by side, as a machine with many containers or a bench has.
 */
function ordinaryMountinfo(count: number): string {
  const lines = ["1 0 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw"];
  for (let id = 2; id <= count; id++) {
    lines.push(
      `${id} ${
        id < 100 ? 1 : 2 + id % 97
      } 0:40 /src /var/tmp/scratch.Xa81/m${id} rw,relatime${
        id % 3 === 0 ? ` shared:${id}` : ""
      } - tmpfs t rw,inode64`,
    );
  }
  return lines.join("\n") + "\n";
}

const HAS_TIME = (() => {
  try {
    return Deno.statSync("/usr/bin/time").isFile;
  } catch {
    return false;
  }
})();

Deno.test({
  name:
    "the tree of 10,000 mounts stacked on one mount point (200 MB of output) is written in at most 100 MiB",
  ignore: !HAS_TIME,
  fn: () =>
    withMountinfo(stackedMountinfo(10000), async (showPeakMiB) => {
      for (const args of [[], ["-o", "TARGET,PROPAGATION"]]) {
        const peak = await showPeakMiB(args);
        assert.ok(
          peak <= 100,
          `show ${args.join(" ")}: ${peak.toFixed(0)} MiB at peak`,
        );
      }
    }),
});

Deno.test({
  name:
    "a 20 MB mountinfo of ordinary mounts is listed in its size and a small record a mount above mntns's start",
  ignore: !HAS_TIME,
  fn: async () => {
    const text = ordinaryMountinfo(250000);
    const start = await peakMiB(["--version"]);
    await withMountinfo(text, async (showPeakMiB) => {
      const fileMiB = text.length / 1024 / 1024;
      assert.ok(fileMiB > 18, `${fileMiB} MiB`);
      // The bytes once, about 45 bytes a mount (0.55 of an 85-byte line)
      // and 20 MiB that do not grow with the file (code, buffers); the
      // JSON makes each mount in turn, and the tree's index of ids costs
      // about 40 bytes a mount more (the JSON is a tree too, as findmnt's).
      for (
        const [args, times] of [
          [["--list"], 1.6],
          [["-r"], 1.6],
          [["--json", "--list"], 2],
          [["--json"], 3],
          [[], 3],
        ] as const
      ) {
        const peak = await showPeakMiB(args);
        assert.ok(
          peak - start <= times * fileMiB + 20,
          `show ${args.join(" ")}: ${peak.toFixed(0)} MiB at peak (${
            start.toFixed(0)
          } MiB to start; the file: ${fileMiB.toFixed(0)} MiB)`,
        );
      }
    });
  },
});

rootTest(
  "20,000 mounts in one shared peer group (a systemd host's shape): show --list and the tree peak at 80 MiB or less",
  async () => {
    const dir = Deno.makeTempDirSync({ prefix: "mntns-shared-shape-" });
    try {
      const output = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("./shared_shape_peak.ts", import.meta.url).pathname,
          dir,
          ...MNTNS,
        ],
        stdin: "null",
        stderr: "inherit",
      }).output();
      assert.equal(output.code, 0);
      const peak = JSON.parse(new TextDecoder().decode(output.stdout));
      assert.ok(peak.group >= 20000, `${peak.group} mounts in the group`);
      assert.ok(peak.list <= 80, `show --list: ${peak.list} MiB at peak`);
      assert.ok(peak.tree <= 80, `show (tree): ${peak.tree} MiB at peak`);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);
