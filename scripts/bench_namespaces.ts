/**
 * Benchmark: `mntns propagation peers --all-namespaces` on a machine with
 * many mount namespaces. Inside a throw-away outer namespace (`unshare -m
 * --propagation private`, so nothing reaches this machine's mounts) it
 * mounts a shared tmpfs with a few binds, starts COUNT processes each in its
 * own namespace (`unshare -m --propagation unchanged sleep`, so the groups
 * join across all of them), times RUNS invocations, and prints the times.
 * Every process and namespace goes away with the outer namespace.
 *
 * Run as root: `deno run -A scripts/bench_namespaces.ts [COUNT] [RUNS]`.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { singleQuoted } from "../lib/plan/shell_quote.ts";
import { median } from "./median.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

/** What one benchmark run measured. */
export interface NamespaceBench {
  /** Namespaces set up besides the outer one. */
  namespaces: number;
  /** Namespaces `peers --all-namespaces` reported. */
  reported: number;
  /** Wall-clock milliseconds of each run. */
  millis: number[];
}

/**
 * Sets up `count` mount namespaces in a throw-away outer namespace, times
 * `runs` runs of `mntns propagation peers --all-namespaces --json`, and
 * cleans up.
 *
 * @example
 * ```ts
 * const result = await benchNamespaces({ count: 100, runs: 5 });
 * Math.min(...result.millis); // 180
 * ```
 */
export async function benchNamespaces(
  options: { count: number; runs: number },
): Promise<NamespaceBench> {
  const dir = Deno.makeTempDirSync({ prefix: "mntns-bench-" });
  const mntns = `${singleQuoted(Deno.execPath())} run -A ${singleQuoted(MAIN)}`;
  const script = `trap 'kill $(jobs -p) 2>/dev/null || :' EXIT
T=${singleQuoted(dir)}; mount -t tmpfs bench "$T"; cd "$T"; mkdir x y z
mount -t tmpfs hx x; mount --make-shared x; mount --bind x y
mount --bind x z; mount --make-slave z
self=$(readlink /proc/$$/ns/mnt)
for i in $(seq ${options.count}); do
  unshare -m --propagation unchanged sleep 1000 & p=$!
  while [ "$(readlink /proc/$p/ns/mnt)" = "$self" ]; do sleep 0.002; done
done
for i in $(seq ${options.runs}); do
  start=$(date +%s%N)
  ${mntns} propagation peers --all-namespaces --json > "$T/out"
  echo "ms $(( ($(date +%s%N) - start) / 1000000 ))"
done
echo "reported $(grep -o '"comm"' "$T/out" | wc -l)"
true`;
  try {
    const output = await new Deno.Command("unshare", {
      args: ["-m", "--propagation", "private", "bash", "-euc", script],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    const text = new TextDecoder().decode(output.stdout);
    if (!output.success) {
      throw new Error(
        `the benchmark's namespace script failed (exit ${output.code}) — run it as root`,
      );
    }
    return {
      namespaces: options.count,
      reported: Number(/^reported (\d+)$/m.exec(text)?.[1] ?? 0),
      millis: [...text.matchAll(/^ms (\d+)$/gm)].map((match) =>
        Number(match[1])
      ),
    };
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const count = Number(Deno.args[0] ?? "100");
  const runs = Number(Deno.args[1] ?? "5");
  const result = await benchNamespaces({ count, runs });
  console.log(
    `peers --all-namespaces with ${result.namespaces} extra namespaces (${result.reported} reported): ` +
      `min ${Math.min(...result.millis)} ms, median ${
        median(result.millis)
      } ms, max ${Math.max(...result.millis)} ms over ${runs} runs`,
  );
}
