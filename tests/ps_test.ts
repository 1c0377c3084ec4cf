/**
 * Issue 13, as root, for real: `mntns ps` lists the running `mntns run`s
 * from /proc — in a scratch PID namespace with its own /proc, so only the
 * runs of the test count — and never a process another user dressed up as
 * one.
 */
import assert from "node:assert/strict";
import { MNTNS, MNTNS_SHELL_WORDS, ROOT_DIR } from "./under_test.ts";
import { expectCode, run, shellQuote } from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { RUN_FUNCTIONS, sections } from "./run_functions.ts";

/** One run as `ps --json` prints it. */
interface RunJson {
  pid: number;
  mntns: number;
  hostname: string | null;
  command: string[];
  started: string;
  namespaces: Record<string, number>;
}

/** `--info-fd`'s line. */
interface Info {
  pid: number;
  mntns: number;
  namespaces: Record<string, number>;
}

rootTest(
  "ps lists concurrent runs with their hostnames ('-' without a UTS namespace), PIDs and namespaces, then none after they end",
  async () => {
    const inner = `mntns() { ${MNTNS_SHELL_WORDS} "$@"; }
${RUN_FUNCTIONS}
T=$1
startrun A "$T/a" --hostname ps-a -- sleep 1000
startrun B "$T/b" --hostname ps-b --init -- sleep 1000
startrun C "$T/c" --hostname ps-c --no-net -- sleep 1000
startrun D "$T/d" --no-uts -- sleep 1000
# Another user's process that looks like a wait stage, its "stage" a child
# in a UTS namespace of its own, named fakebox.
setpriv --reuid=65534 --regid=65534 --clear-groups bash -c 'unshare -Ur --uts sh -c "hostname fakebox; exec sleep 1000" & exec -a fake bash -c "sleep 1000; true" x __mntns-run-wait $! plain 15' &
# Two sleeps: the stage's (after its hostname is set) and the fake's own.
i=0; until [ "$(pgrep -u 65534 -fx 'sleep 1000' | wc -l)" = 2 ]; do i=$((i+1)); [ $i -lt 500 ]; sleep 0.02; done
echo "=== now"; date +%s
echo "=== infos"; cat "$T/a" "$T/b" "$T/c" "$T/d"
echo "=== json"; mntns ps --json
echo "=== table"; mntns ps
echo "=== fake"; mntns enter fakebox -- true 2>&1 || echo "exit $?"
for f in a b c d; do m=$(infofield mntns "$T/$f"); kill "$m"; wait "$m" || :; done
echo "=== after-json"; mntns ps --json
echo "=== after-table"; mntns ps
pkill -u 65534 sleep || :`;
    const outcome = expectCode(
      await inScratchNamespace(
        `unshare -fp --mount-proc bash -euc ${shellQuote(inner)} inner "$T"`,
      ),
      0,
    );
    const out = sections(outcome.stdout);
    const infos: Info[] = out.infos.trim().split("\n").map((line) =>
      JSON.parse(line)
    );
    const runs: RunJson[] = JSON.parse(out.json).runs;
    assert.deepEqual(
      runs.map((run) => [run.pid, run.mntns, run.namespaces]),
      infos.map((info) => [info.pid, info.mntns, info.namespaces]),
    );
    assert.deepEqual(runs.map((run) => run.hostname), [
      "ps-a",
      "ps-b",
      "ps-c",
      null,
    ]);
    for (const run of runs) {
      assert.deepEqual(run.command, ["sleep", "1000"]);
      const started = Date.parse(run.started) / 1000;
      assert.ok(Math.abs(started - Number(out.now)) < 60, run.started);
    }
    const table = out.table.trimEnd().split("\n");
    assert.match(
      table[0],
      /^PID +MNTNS-PID +HOSTNAME +STARTED +MNT-NS +COMMAND$/,
    );
    assert.equal(table.length, 5);
    runs.forEach((run, index) => {
      assert.match(
        table[index + 1],
        new RegExp(
          `^${run.pid} +${run.mntns} +${
            run.hostname ?? "-"
          } +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +${run.namespaces.mnt} +sleep 1000$`,
        ),
      );
    });
    assert.equal(
      out.fake,
      "mntns: no running mntns run has the hostname fakebox — see 'mntns ps', or give a PID\nexit 1\n",
    );
    assert.deepEqual(JSON.parse(out["after-json"]), { runs: [] });
    assert.equal(
      out["after-table"],
      "PID MNTNS-PID HOSTNAME STARTED MNT-NS COMMAND\n",
    );
  },
);

rootTest(
  "ps as another user (uid 65534): one line, exit 1, no table",
  async () => {
    const denoDir = Deno.makeTempDirSync({ prefix: "mntns-ps-deno-" });
    try {
      Deno.chmodSync(denoDir, 0o777);
      // The bundle or binary under test may sit in a directory only root
      // can read: uid 65534 runs a copy of it.
      const file = MNTNS.at(-1)!;
      const words = file.startsWith(ROOT_DIR) ? MNTNS : [
        ...MNTNS.slice(0, -1),
        `${denoDir}/${file.split("/").at(-1)}`,
      ];
      if (words !== MNTNS) {
        Deno.copyFileSync(file, words.at(-1)!);
        Deno.chmodSync(words.at(-1)!, 0o755);
      }
      const outcome = expectCode(
        await run(
          [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            ...words,
            "ps",
          ],
          { env: { DENO_DIR: denoDir, NO_COLOR: "1" } },
        ),
        1,
      );
      assert.equal(outcome.stdout, "");
      assert.equal(
        outcome.stderr,
        "mntns: ps: needs root — a run's processes are root's and its hostname is read inside its namespace: run it as root\n",
      );
    } finally {
      Deno.removeSync(denoDir, { recursive: true });
    }
  },
);
