/**
 * The new root holds against its owner: a process of another user that
 * owns a directory inside the root keeps exchanging it with a symbolic link
 * to a directory outside (`renameat2(RENAME_EXCHANGE)`, runc's
 * CVE-2021-30465 shape), while mntns makes directories, binds, links and
 * tmpfs mounts below it. Nothing may be made, mounted or changed outside
 * the root, and each refusal is one line.
 *
 * @module
 */

import assert from "node:assert/strict";
import { makeMiniRoot } from "../scripts/mini_root.ts";
import { MNTNS_EMULATED } from "./under_test.ts";
import { expectCode, run, shellQuote } from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";

/** Exchanges its two paths' entries, again and again, until killed. */
const RACER = `#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc != 3) return 2;
  for (;;) syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], 2 /* RENAME_EXCHANGE */);
}
`;

const RUNS = MNTNS_EMULATED ? 20 : 200;
/** Runs made at once: the race is the same, the test is shorter. */
const LANES = 2;

rootTest(
  `--rootfs: ${RUNS} runs while the root's owner swaps a directory for a link out: nothing made or mounted outside, each refusal one line`,
  async () => {
    const dir = Deno.makeTempDirSync({ prefix: "mntns-race-" });
    try {
      const root = `${dir}/root`;
      await makeMiniRoot(root);
      Deno.writeTextFileSync(`${dir}/racer.c`, RACER);
      expectCode(
        await run(["cc", "-O2", "-o", `${dir}/racer`, `${dir}/racer.c`]),
        0,
      );
      Deno.mkdirSync(`${dir}/outside`);
      Deno.mkdirSync(`${dir}/src/dir`, { recursive: true });
      Deno.writeTextFileSync(`${dir}/src/file`, "source\n");
      Deno.mkdirSync(`${root}/a`);
      Deno.symlinkSync("../outside", `${root}/swap`);
      for (const path of [root, `${root}/a`]) {
        Deno.chownSync(path, 65534, 65534);
      }
      Deno.chmodSync(dir, 0o755);
      const d = shellQuote(dir);
      const outcome = expectCode(
        await inScratchNamespace(`
        # The outside directory is a shared mount of its own: a mount that
        # lands in it from a run's namespace shows here.
        mount -t tmpfs outside ${d}/outside
        mount --make-rshared /
        listing() { find ${d} -path ${d}/root -prune -o -printf '%p %y %U %m %s\\n' | sort; }
        listing >"$T/before"; cat /proc/self/mountinfo >"$T/mounts-before"
        (cd ${d}/root && exec nice -n 19 setpriv --reuid 65534 --regid 65534 --clear-groups ${d}/racer a swap) &
        racer=$!
        lane() {
          for i in $(seq ${RUNS / LANES}); do
            if mntns run --no-net --no-pid --no-ipc --no-uts --propagation unchanged --rootfs ${d}/root \\
              --dir /a/d/e --bind ${d}/src/file:/a/f --bind ${d}/src/dir:/a/bd \\
              --ro-bind ${d}/src/dir:/a/ro --symlink X:/a/l --tmpfs /a/t -- /bin/sh -c : 2>"$T/err$1"
            then echo "ok $(wc -l <"$T/err$1")"
            else echo "refused $? $(wc -l <"$T/err$1") $(head -n 1 "$T/err$1")"
            fi
          done
        }
        for lane in $(seq ${LANES}); do lane $lane & done
        wait $(jobs -p | grep -vx $racer)
        kill $racer; wait $racer || true
        listing >"$T/after"; cat /proc/self/mountinfo >"$T/mounts-after"
        echo "=== listing"; diff "$T/before" "$T/after" && echo same
        echo "=== mounts"; diff "$T/mounts-before" "$T/mounts-after" && echo same`),
        0,
      );
      const [runs, listing, mounts] = outcome.stdout.split(/^=== \w+\n/m);
      assert.equal(listing, "same\n");
      assert.equal(mounts, "same\n");
      const lines = runs.trim().split("\n");
      assert.equal(lines.length, RUNS);
      for (const line of lines) {
        assert.match(line, /^(ok 0|refused 1 1 mntns: \S.*)$/, line);
      }
      console.log(
        `${
          lines.filter((line) => line.startsWith("ok")).length
        } of ${RUNS} runs succeeded; refusals: ${
          [
            ...new Set(
              lines.filter((line) => line.startsWith("refused")).map(
                (line) =>
                  line.replace(/^refused 1 1 /, "").replace(/\/tmp\S*/g, "…"),
              ),
            ),
          ].join(" | ")
        }`,
      );
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);
