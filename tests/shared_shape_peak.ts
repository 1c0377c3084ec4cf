/**
 * The peak memory of `propagation show` on a host shaped as systemd makes
 * it, for tests/show_memory_test.ts:
 * `deno run -A tests/shared_shape_peak.ts DIR MNTNS...` moves to a mount
 * namespace of its own (private), makes there the bench's 20,000 mounts in
 * one shared peer group under DIR (scripts/bench_shapes.ts), and prints one
 * JSON line: how many mounts the namespace has in that group, and the peak
 * RSS (MiB, GNU time's %M) of MNTNS `propagation show --list` and of its
 * tree, each run in that namespace, output dropped. Its mounts end with it.
 *
 * @module
 */

import {
  makeSharedShape,
  throwawayNamespace,
} from "../scripts/bench_shapes.ts";
import { peakRssMiB } from "../scripts/peak_rss.ts";

const [dir, ...mntns] = Deno.args;
throwawayNamespace();
makeSharedShape(`${dir}/shared`);

/** How many mounts share the peer group of the most shared one. */
function largestGroup(): number {
  const counts = new Map<string, number>();
  for (
    const line of Deno.readTextFileSync("/proc/self/mountinfo").split("\n")
  ) {
    const group = / shared:(\d+)/.exec(line)?.[1];
    if (group !== undefined) counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}

/** Peak RSS (MiB) of MNTNS `propagation show` with these words. */
function peakMiB(words: readonly string[]): Promise<number> {
  return peakRssMiB([...mntns, "propagation", "show", ...words]);
}

console.log(JSON.stringify({
  group: largestGroup(),
  list: await peakMiB(["--list"]),
  tree: await peakMiB([]),
}));
