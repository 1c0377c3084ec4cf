/**
 * Issue 13, as root, for real, in scratch namespaces: `mntns enter`
 * against util-linux `nsenter`, by PID, by name and by kept file, into
 * `run --init`, twice at once, and into a process that is gone; what the
 * command gets, its exit statuses, and the waiting process's signal mask.
 */
import assert from "node:assert/strict";
import { interruptThenExit, openTerminal } from "./terminal.ts";
import { MNTNS, MNTNS_SHELL_WORDS } from "./under_test.ts";
import { expectCode, run, shellQuote } from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { makeMiniRoot } from "../scripts/mini_root.ts";
import { RUN_FUNCTIONS, sections } from "./run_functions.ts";

/** Signals Deno (13) and glibc's posix_spawn (32, 33) ignore on their own. */
const ADDED_BY_RUNTIMES = (1n << 12n) | (1n << 31n) | (1n << 32n);

rootTest(
  "enter and nsenter -a see the same hostname, mounts, processes, network and namespaces of a run",
  async () => {
    const probe =
      `hostname; echo @; cat /proc/self/mountinfo; echo @; l=$(ps -e -o comm=); echo "$l" | sort; echo @; ip -o link; echo @; for n in mnt uts ipc net pid cgroup; do readlink /proc/self/ns/$n; done; echo @; readlink /proc/1/exe; pwd`;
    const outcome = expectCode(
      await inScratchNamespace(`${RUN_FUNCTIONS}
      startrun P "$T/info" --hostname box --tmpfs /mnt -- sleep 1000
      echo "=== mntns"; mntns enter "$P" -- sh -c '${probe}'
      echo "=== nsenter"; nsenter -a -r -w -t "$P" sh -c '${probe}'
      echo "=== target"; for n in mnt uts ipc net pid cgroup; do readlink /proc/$P/ns/$n; done
      kill "$(infofield mntns "$T/info")"; wait`),
      0,
    );
    const out = sections(outcome.stdout);
    assert.equal(out.mntns, out.nsenter);
    const [hostname, mountinfo, processes, links, namespaces, exe] = out.mntns
      .split("@\n");
    assert.equal(hostname, "box\n");
    assert.match(mountinfo, / \/mnt .* - tmpfs /);
    // ps lists from a command substitution: a pipe's other end could be
    // seen before or after it became sort.
    assert.deepEqual(processes.trim().split("\n"), ["ps", "sh", "sleep"]);
    assert.match(links, /^1: lo: <LOOPBACK,UP,LOWER_UP>/);
    assert.equal(links.trim().split("\n").length, 1);
    assert.equal(namespaces, out.target);
    assert.match(exe, /\/sleep\n/);
  },
);

rootTest(
  "the command gets exactly its argv, environment, descriptors and the caller's signal state, as with nsenter",
  async () => {
    const script =
      `cat /proc/$$/cmdline; printf "\\001"; cat /proc/$$/environ; printf "\\001"; grep -E "^Sig(Ign|Blk)" /proc/self/status; cd /proc/$$/fd; for f in *; do echo "$f $(readlink $f | sed "s/:\\[[0-9]*\\]//")"; done`;
    const env = `env -i A= 'B=a b' C=ünï PATH=/usr/bin:/bin`;
    const outcome = expectCode(
      await inScratchNamespace(`${RUN_FUNCTIONS}
      startrun P "$T/info" --hostname argv -- sleep 1000
      touch "$T/ns"; mntns isolate --mount="$T/ns" -- true
      exec 5</dev/null 7>/dev/null
      trap '' USR1 PIPE
      echo "=== nsenter-pid"; ${env} nsenter -a -t "$P" sh -c '${script}' '' 'a b' ü
      echo "=== mntns-pid"; ${env} ${MNTNS_SHELL_WORDS} enter "$P" -- sh -c '${script}' '' 'a b' ü
      echo "=== nsenter-file"; ${env} nsenter --mount="$T/ns" sh -c '${script}' '' 'a b' ü
      echo "=== mntns-file"; ${env} ${MNTNS_SHELL_WORDS} enter "$T/ns" -- sh -c '${script}' '' 'a b' ü
      trap - USR1 PIPE
      kill "$(infofield mntns "$T/info")"; wait`),
      0,
    );
    const out = sections(outcome.stdout);
    for (const way of ["pid", "file"]) {
      const [argv, environ, rest] = out[`mntns-${way}`].split("\x01");
      const [theirArgv, theirEnviron, theirRest] = out[`nsenter-${way}`]
        .split("\x01");
      assert.equal(argv, ["sh", "-c", script, "", "a b", "ü", ""].join("\0"));
      assert.equal(argv, theirArgv, way);
      assert.equal(environ, "A=\0B=a b\0C=ünï\0PATH=/usr/bin:/bin\0");
      assert.equal(environ, theirEnviron, way);
      // USR1 stays ignored, as nsenter keeps it. SIGPIPE (Deno's) and 32
      // and 33 (which posix_spawn, so the test's own bash, ignores) are
      // reset: docs/isolate.md, the one case mntns cannot tell apart.
      const ignored = (text: string): bigint =>
        BigInt(`0x${/^SigIgn:\s*([0-9a-f]+)$/m.exec(text)?.[1]}`);
      assert.equal(ignored(rest), 0x200n, way);
      assert.equal(ignored(rest), ignored(theirRest) & ~ADDED_BY_RUNTIMES, way);
      assert.match(rest, /^SigBlk:\t0000000000000000$/m, way);
      const fds = (text: string): string =>
        text.split("\n").filter((line) => /^\d+ /.test(line)).join("\n");
      assert.equal(fds(rest), fds(theirRest), way);
      assert.match(fds(rest), /^5 \/dev\/null$/m, way);
      assert.match(fds(rest), /^7 \/dev\/null$/m, way);
    }
  },
);

rootTest(
  "exit statuses as nsenter's: 0, 7, 127, 126, 128+N; signals to mntns reach the command",
  async () => {
    const commands = [
      "sh -c 'exit 0'",
      "sh -c 'exit 7'",
      "no-such-command-here",
      "/etc/passwd",
      "sh -c 'kill -TERM $$'",
      "sh -c 'kill -KILL $$'",
    ];
    const outcome = expectCode(
      await inScratchNamespace(`${RUN_FUNCTIONS}
      startrun P "$T/info" --hostname codes -- sleep 1000
      touch "$T/ns"; mntns isolate --mount="$T/ns" -- true
      for c in ${
        commands.map((c) => `"${c.replaceAll("$", "\\$")}"`).join(" ")
      }; do
        s1=0; eval "nsenter -a -t $P $c" 2>/dev/null || s1=$?
        s2=0; eval "mntns enter $P -- $c" 2>/dev/null || s2=$?
        s3=0; eval "mntns enter $T/ns -- $c" 2>/dev/null || s3=$?
        echo "status $s1 $s2 $s3"
      done
      ${MNTNS_SHELL_WORDS} enter "$P" -- sleep 1013 & e=$!
      i=0; until pgrep -fx 'sleep 1013' >/dev/null; do i=$((i+1)); [ $i -lt 500 ]; sleep 0.02; done
      kill -TERM $e; s=0; wait $e || s=$?; echo "forwarded $s"
      kill "$(infofield mntns "$T/info")"; wait`),
      0,
    );
    const statuses = [...outcome.stdout.matchAll(/^status (.*)$/gm)].map((
      match,
    ) => match[1]);
    assert.deepEqual(statuses, [
      "0 0 0",
      "7 7 7",
      "127 127 127",
      "126 126 126",
      "143 143 143",
      "137 137 137",
    ]);
    assert.match(outcome.stdout, /^forwarded 143$/m);
  },
);

rootTest(
  "enter by name, into run --init and --rootfs, two at once; a PID that is gone or an unknown name: one line, exit 1",
  async () => {
    const root = Deno.makeTempDirSync({ prefix: "mntns-root-" });
    try {
      await makeMiniRoot(root);
      const outcome = expectCode(
        await inScratchNamespace(`${RUN_FUNCTIONS}
        startrun A "$T/a" --hostname named -- sleep 1000
        startrun B "$T/b" --hostname initbox --init -- sleep 1000
        startrun C "$T/c" --hostname rootbox --rootfs ${root} --wd /etc -- /bin/sleep 1000
        echo "name $(mntns enter named -- hostname)"
        echo "init $(mntns enter initbox -- sh -c 'echo "$(hostname) ppid $PPID $(tr "\\0" " " < /proc/1/cmdline)"')"
        echo "rootfs $(mntns enter rootbox -- /bin/sh -c 'echo "$(pwd) $(cat marker)" $(ls /)')"
        mntns enter named -- sh -c 'touch "$0/one"; until [ -e "$0/two" ]; do sleep 0.02; done; echo "first $(hostname)"' "$T" > "$T/first" & e=$!
        mntns enter named -- sh -c 'touch "$0/two"; until [ -e "$0/one" ]; do sleep 0.02; done; echo "second $(hostname)"' "$T"
        wait $e; cat "$T/first"
        startrun D "$T/d" --hostname named -- sleep 1000
        echo "=== twice"; mntns enter named -- true 2>&1 || echo "exit $?"
        sleep 0.01 & gone=$!; wait $gone
        echo "=== gone"; mntns enter "$gone" -- true 2>&1 || echo "exit $?"
        echo "=== unknown"; mntns enter nobody-is-called-this -- true 2>&1 || echo "exit $?"
        echo "=== end"
        for f in a b c d; do kill "$(infofield mntns "$T/$f")"; done; wait`),
        0,
      );
      const out = outcome.stdout;
      assert.match(out, /^name named$/m);
      assert.match(out, /^init initbox ppid 0 .*deno.* __mntns-run-stage /m);
      assert.match(out, /^rootfs \/etc mini root bin dev etc lib/m);
      assert.match(out, /^second named$/m);
      assert.match(out, /^first named$/m);
      const parts = sections(out);
      assert.match(
        parts.twice,
        /^mntns: 2 running mntns runs have the hostname named \(PIDs \d+, \d+\) — give one of the PIDs\nexit 1\n$/,
      );
      assert.match(parts.gone, /^mntns: pid \d+: no such process\nexit 1\n$/);
      assert.equal(
        parts.unknown,
        "mntns: no running mntns run has the hostname nobody-is-called-this — see 'mntns ps', or give a PID\nexit 1\n",
      );
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
);

rootTest(
  "the waiting mntns has the forwarded signals and SIGCHLD blocked: SIGUSR1 a second in opens no listener and reaches the command",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`${RUN_FUNCTIONS}
      startrun P "$T/info" --hostname usr1 -- sleep 1000
      ${MNTNS_SHELL_WORDS} enter "$P" -- sh -c 'trap "echo usr1" USR1; echo ready; i=0; while [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done' > "$T/out" & e=$!
      waitfile "$T/out"; sleep 1.1
      grep -E "^SigBlk" /proc/$e/status
      echo "argv $(tr '\\0' ' ' < /proc/$e/cmdline)"
      kill -USR1 $e; sleep 0.3
      echo "listeners $(ss -Hltnp | grep -c -e deno -e :9229)"
      wait $e; echo "exit $?"; cat "$T/out"
      kill "$(infofield mntns "$T/info")"; wait`),
      0,
    );
    const out = outcome.stdout;
    const blocked = BigInt(`0x${/^SigBlk:\s*([0-9a-f]+)$/m.exec(out)?.[1]}`);
    // HUP INT QUIT USR1 USR2 ALRM TERM WINCH, less INT and QUIT (a background
    // job of a shell without job control has them ignored), and CHLD.
    for (const signal of [1, 10, 12, 14, 15, 17, 28]) {
      assert.ok((blocked >> BigInt(signal - 1)) & 1n, `signal ${signal}`);
    }
    assert.match(out, /^argv .* __mntns-enter-wait \d+ plain [\d,]+ $/m);
    assert.match(out, /^listeners 0$/m);
    assert.match(out, /^exit 0$/m);
    assert.match(out, /^ready\nusr1$/m);
  },
);

rootTest(
  "interactive: a shell entered with job control on a terminal; Ctrl-C reaches its foreground job",
  async () => {
    const session = `mntns-enter-${Deno.pid}`;
    const dir = Deno.makeTempDirSync({ prefix: "mntns-enter-tty-" });
    const words = MNTNS.map(shellQuote).join(" ");
    // The run and the session live in a scratch namespace that ends with
    // the script; the run's hostname is unique to this test process.
    Deno.writeTextFileSync(
      `${dir}/script`,
      `${words} run --hostname tty-${Deno.pid} --info-fd 3 -- sleep 1000 3>${dir}/info &
until [ -s ${dir}/info ]; do sleep 0.05; done
env SHELL=/bin/bash PS1='tty$ ' ${words} enter tty-${Deno.pid} -- bash --norc -i
echo "mntns exited $?"; until [ -e ${dir}/done ]; do sleep 0.05; done`,
    );
    const terminal = await openTerminal(
      session,
      `unshare -m --propagation private bash ${dir}/script`,
    );
    try {
      await terminal.waitFor(/^tty\$\s*$/m);
      await terminal.keys("echo flags=$- host=$(hostname) ppid=$PPID", "Enter");
      await terminal.waitFor(
        new RegExp(`^flags=\\S*m\\S* host=tty-${Deno.pid} ppid=0$`, "m"),
      );
      await interruptThenExit(terminal);
    } finally {
      Deno.writeTextFileSync(`${dir}/done`, "");
      await terminal.close();
      // The run outlives the session's shell: end it (SIGTERM ends its
      // sleep and with it the namespace) and wait until it is gone.
      const info = JSON.parse(Deno.readTextFileSync(`${dir}/info`));
      Deno.kill(info.mntns, "SIGTERM");
      while ((await run(["kill", "-0", String(info.mntns)])).code === 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      Deno.removeSync(dir, { recursive: true });
    }
  },
);

rootTest(
  "enter FILE refuses a file that holds a network namespace (ip netns add) in one line, as propagation show --ns does",
  async () => {
    // /run is a tmpfs of the throw-away namespace: ip netns add mounts there.
    const outcome = expectCode(
      await inScratchNamespace(`
      mount -t tmpfs scratch-run /run
      ip netns add mntns-test
      mntns enter /run/netns/mntns-test -- touch "$T/entered" 2>&1 || echo "exit $?"
      mntns propagation show --ns /run/netns/mntns-test 2>&1 || echo "exit $?"
      ls "$T"`),
      0,
    );
    assert.equal(
      outcome.stdout,
      "mntns: /run/netns/mntns-test: holds a net namespace, not a mount namespace — enter it with nsenter --net=/run/netns/mntns-test\nexit 1\n" +
        "mntns: /run/netns/mntns-test: holds a net namespace, not a mount namespace\nexit 1\n",
    );
  },
);
