/**
 * Issue 13, as root, for real: `mntns run --info-fd FD` writes one JSON
 * line whose PIDs and namespace inodes are what /proc says, and closes FD:
 * neither the command nor mntns keeps it.
 */
import assert from "node:assert/strict";
import { MNTNS_SHELL_WORDS } from "./under_test.ts";
import { expectCode } from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { RUN_FUNCTIONS, sections } from "./run_functions.ts";

rootTest(
  "--info-fd: the JSON parses, its PIDs and inodes are /proc's, and FD is closed after it",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`${RUN_FUNCTIONS}
      ${MNTNS_SHELL_WORDS} run --hostname info --info-fd 9 -- sh -c 'ls /proc/self/fd > "$0/fds"; exec sleep 1000' "$T" 9>"$T/info" & m=$!
      waitfile "$T/info"; waitfile "$T/fds"
      c=$(pgrep -P $m)
      echo "=== info"; cat "$T/info"
      echo "=== pids"; echo "$m $c"
      echo "=== ns"; for n in mnt uts ipc net pid cgroup; do readlink /proc/$c/ns/$n; done
      echo "=== fds"; cat "$T/fds"
      echo "=== held"; ls -l /proc/$m/fd | grep -c "$T/info" || :
      echo "=== enter"; mntns enter "$(infofield pid "$T/info")" -- hostname
      kill $m; wait $m || :
      mkfifo "$T/fifo"; { cat "$T/fifo" > "$T/piped"; touch "$T/eof"; } &
      ${MNTNS_SHELL_WORDS} run --init --info-fd 9 -- sleep 1000 9>"$T/fifo" & m=$!
      i=0; until [ -e "$T/eof" ]; do i=$((i+1)); [ $i -lt 500 ]; sleep 0.02; done
      echo "=== piped"; cat "$T/piped"
      echo "=== init-pids"; echo "$m $(pgrep -P $m)"; kill -0 $m && echo running
      kill $m; wait $m || :`),
      0,
    );
    const out = sections(outcome.stdout);
    const info = JSON.parse(out.info);
    assert.deepEqual(Object.keys(info), ["pid", "mntns", "namespaces"]);
    const [mntns, child] = out.pids.trim().split(" ").map(Number);
    assert.equal(info.mntns, mntns);
    assert.equal(info.pid, child);
    const inodes = out.ns.trim().split("\n").map((link) => {
      const [, kind, inode] = /^(\w+):\[(\d+)\]$/.exec(link)!;
      return [kind, Number(inode)];
    });
    assert.deepEqual(info.namespaces, Object.fromEntries(inodes));
    assert.doesNotMatch(out.fds, /^9$/m);
    assert.equal(out.held, "0\n");
    assert.equal(out.enter, "info\n");
    // With --init, PID 1 is mntns's run stage; a FIFO's reader sees the
    // end of the file right after the line, while the run goes on.
    const piped = JSON.parse(out.piped);
    const [initMntns, initStage] = out["init-pids"].split("\n")[0].split(" ")
      .map(Number);
    assert.equal(piped.mntns, initMntns);
    assert.equal(piped.pid, initStage);
    assert.match(out["init-pids"], /^running$/m);
  },
);
