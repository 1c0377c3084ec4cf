/**
 * Issue 10, as root, for real: no mntns process opens Deno's SIGUSR1
 * inspector, and no secret of the environment reaches a command line.
 */
import assert from "node:assert/strict";
import { MNTNS_SHELL_WORDS } from "./under_test.ts";
import { bash, expectCode } from "./processes.ts";
import { rootTest } from "./namespaces.ts";
import { makeMiniRoot } from "../scripts/mini_root.ts";

const TRAP_USR1 = (name: string): string =>
  `sh -c 'trap "echo usr1-${name}" USR1; echo ready; i=0; while [ $i -lt 50 ]; do sleep 0.05; i=$((i+1)); done'`;

rootTest(
  "SIGUSR1 a second after start: no listener anywhere, and the command still gets it",
  async () => {
    const outcome = expectCode(
      await bash(`
      d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
      ${MNTNS_SHELL_WORDS} run -- ${TRAP_USR1("plain")} > "$d/plain" & p1=$!
      ${MNTNS_SHELL_WORDS} run --init -- ${
        TRAP_USR1("init")
      } > "$d/init" & p2=$!
      until grep -q ready "$d/plain" 2>/dev/null && grep -q ready "$d/init" 2>/dev/null; do sleep 0.02; done
      sleep 1.1
      c1=$(pgrep -P $p1); s2=$(pgrep -P $p2)
      kill -USR1 $p1; kill -USR1 $p2; sleep 0.2; kill -USR1 $s2
      sleep 0.5
      echo "host $(ss -Hltnp | grep -c -e deno -e :9229)"
      echo "run-net $(nsenter -t $c1 -n ss -Hltn | wc -l)"
      echo "init-net $(nsenter -t $s2 -n ss -Hltn | wc -l)"
      wait $p1; echo "plain exit $?"; wait $p2; echo "init exit $?"
      cat "$d/plain" "$d/init"`),
      0,
    );
    const out = outcome.stdout;
    assert.match(out, /^host 0$/m);
    assert.match(out, /^run-net 0$/m);
    assert.match(out, /^init-net 0$/m);
    assert.match(out, /^plain exit 0$/m);
    assert.match(out, /^init exit 0$/m);
    assert.match(out, /^usr1-plain$/m);
    assert.match(out, /^usr1-init$/m);
  },
);

rootTest(
  "SIGUSR1 to a long-running propagation command opens no listener",
  async () => {
    // About 400,000 mounts, printed to a reader that waits 2 seconds: show
    // is still running (blocked writing) when the signal comes, however
    // fast it reads and prints them.
    const outcome = await bash(`
      d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
      awk 'BEGIN { print "1 1 0:1 / / rw shared:1 - ext4 /dev/root rw";
        for (i = 2; i <= 400000; i++) printf "%d 1 0:%d / /m/%d rw shared:%d - tmpfs t rw\\n", i, i, i, i }' > "$d/mi"
      ${MNTNS_SHELL_WORDS} propagation show --list --mountinfo "$d/mi" > >(sleep 2; cat > /dev/null) & p=$!
      sleep 1.2; kill -USR1 $p && echo "signalled while running"; sleep 0.3
      echo "host $(ss -Hltnp | grep -c -e deno -e :9229)"
      wait $p && echo "exit 0" || echo "exit $?"`);
    assert.match(outcome.stdout, /^signalled while running$/m, outcome.stderr);
    assert.match(outcome.stdout, /^host 0$/m, outcome.stderr);
    // Either it had finished (0) or SIGUSR1's default action ended it (138).
    assert.match(outcome.stdout, /^exit (0|138)$/m);
  },
);

rootTest(
  "no secret of the environment shows in any command line another user can read",
  async () => {
    const root = Deno.makeTempDirSync({ prefix: "mntns-root-" });
    const dir = Deno.makeTempDirSync({ prefix: "mntns-secret-" });
    try {
      await makeMiniRoot(root);
      Deno.chmodSync(dir, 0o755);
      // The secret is made at run time: no script's own command line holds it.
      const outcome = expectCode(
        await bash(`
        d=${dir}
        head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \\n' > "$d/secret"; chmod 644 "$d/secret"
        setpriv --reuid=65534 --regid=65534 --clear-groups bash -c '
          n=0; while [ ! -e "$0/stop" ]; do
            grep -l -F -f "$0/secret" /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null
            n=$((n+1))
          done; echo "polls $n" >&2' "$d" > "$d/leaks" 2> "$d/polls" & reader=$!
        sleep 0.2
        export SECRET_TOKEN="s$(cat "$d/secret")"
        ${MNTNS_SHELL_WORDS} run -- sleep 0.6
        ${MNTNS_SHELL_WORDS} run --init -- sleep 0.6
        ${MNTNS_SHELL_WORDS} run --rootfs ${root} -- /bin/sleep 0.6
        ${MNTNS_SHELL_WORDS} run --init --rootfs ${root} -- /bin/sleep 0.6
        touch "$d/stop"; wait $reader
        echo "leaks [$(cat "$d/leaks")]"; cat "$d/polls"`),
        0,
      );
      assert.match(outcome.stdout, /^leaks \[\]$/m);
      assert.ok(Number(/^polls (\d+)$/m.exec(outcome.stdout)?.[1]) > 10);
    } finally {
      Deno.removeSync(root, { recursive: true });
      Deno.removeSync(dir, { recursive: true });
    }
  },
);
