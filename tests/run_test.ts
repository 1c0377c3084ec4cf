/**
 * `mntns run` for real: namespaces, /proc, hostname, exit statuses, signals,
 * the seed failure, --rootfs, and what is left behind (nothing).
 */
import assert from "node:assert/strict";
import { interruptThenExit, openTerminal } from "./terminal.ts";
import {
  MNTNS,
  MNTNS_EMULATED,
  MNTNS_SHELL_WORDS,
  PATIENCE,
} from "./under_test.ts";
import {
  bash,
  emulatorRefusesRootfs,
  expectCode,
  expectIgnoredSignals,
  leftovers,
  leftoversWithin,
  mntns,
  run,
  shellQuote,
  withMissingPath,
} from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { makeMiniRoot } from "../scripts/mini_root.ts";

rootTest(
  "inside: own hostname and namespaces, PID 1, fresh /proc, only lo, private /",
  async () => {
    const hostBefore = Deno.hostname();
    const outcome = expectCode(
      await mntns([
        "run",
        "--",
        "sh",
        "-c",
        `
      echo "host $(hostname)"; echo "pid $$"
      for ns in mnt uts pid ipc net; do echo "ns $ns $(readlink /proc/self/ns/$ns)"; done
      echo "procs $(ls /proc | grep -E '^[0-9]+$' | tr '\\n' ' ')"
      echo "lo $(cat /sys/class/net/lo/operstate) $(cat /sys/class/net/lo/flags)"
      echo "root $(findmnt -no PROPAGATION /)"
      echo "proc $(findmnt -no OPTIONS /proc | tail -1)"
      echo "exe $(readlink /proc/1/exe)"`,
      ]),
      0,
    );
    const out = outcome.stdout;
    assert.match(out, /^host mntns$/m);
    assert.match(out, /^pid 1$/m);
    for (const ns of ["mnt", "uts", "pid", "ipc", "net"]) {
      const inside = new RegExp(`^ns ${ns} (.*)$`, "m").exec(out)?.[1];
      assert.ok(inside);
      assert.notEqual(inside, Deno.readLinkSync(`/proc/self/ns/${ns}`), ns);
    }
    const procs = /^procs (.*)$/m.exec(out)![1].trim().split(" ").map(Number);
    assert.ok(procs.includes(1));
    assert.ok(
      procs.every((pid) => pid < 50),
      `only the namespace's processes: ${procs}`,
    );
    assert.match(out, /^lo unknown 0x9$/m);
    assert.match(out, /^root private$/m);
    assert.match(out, /^proc rw,nosuid,nodev,noexec,relatime/m);
    assert.match(out, /^exe \/usr\/bin\/dash$|^exe \/bin\/dash$/m);
    assert.equal(Deno.hostname(), hostBefore);
  },
);

rootTest("ip link inside shows only lo, up", async () => {
  const outcome = expectCode(
    await mntns(["run", "--hostname", "netbox", "ip", "-o", "link"]),
    0,
  );
  const lines = outcome.stdout.trim().split("\n");
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^1: lo: <LOOPBACK,UP,LOWER_UP>/);
});

rootTest("--no-* keep namespaces shared; --cgroup adds one", async () => {
  const outcome = expectCode(
    await mntns([
      "run",
      "--no-net",
      "--no-ipc",
      "--no-uts",
      "--cgroup",
      "--",
      "sh",
      "-c",
      "for ns in net ipc uts cgroup pid; do echo $ns $(readlink /proc/self/ns/$ns); done; hostname",
    ]),
    0,
  );
  const own = (ns: string): string => Deno.readLinkSync(`/proc/self/ns/${ns}`);
  assert.match(
    outcome.stdout,
    new RegExp(`^net ${own("net").replace(/[[\]]/g, "\\$&")}$`, "m"),
  );
  assert.match(
    outcome.stdout,
    new RegExp(`^ipc ${own("ipc").replace(/[[\]]/g, "\\$&")}$`, "m"),
  );
  assert.match(
    outcome.stdout,
    new RegExp(`^uts ${own("uts").replace(/[[\]]/g, "\\$&")}$`, "m"),
  );
  assert.doesNotMatch(
    outcome.stdout,
    new RegExp(`^cgroup ${own("cgroup").replace(/[[\]]/g, "\\$&")}$`, "m"),
  );
  assert.ok(outcome.stdout.endsWith(`${Deno.hostname()}\n`));
});

rootTest(
  "the command gets exactly its argv, environment (with --env), fds and the caller's signal state",
  async () => {
    const listFds =
      `cd /proc/$$/fd; for f in *; do echo "$f $(readlink $f) $(grep flags /proc/$$/fdinfo/$f)"; done`;
    const script =
      `cat /proc/$$/cmdline; printf "\\001"; cat /proc/$$/environ; printf "\\001"; grep -E "^Sig(Ign|Blk)" /proc/self/status; ${listFds}`;
    const outcome = expectCode(
      await bash(`exec 5</dev/null 7>/dev/null
      trap '' USR1 PIPE
      echo '=== unshare'; env -i A= 'B=a b' C=ünï PATH=/usr/bin:/bin K=old unshare -fpm --mount-proc sh -c '${script}' '' 'a b' ü
      echo '=== mntns'; env -i A= 'B=a b' C=ünï PATH=/usr/bin:/bin K=old ${MNTNS_SHELL_WORDS} run --env K=new -- sh -c '${script}' '' 'a b' ü`),
      0,
    );
    const [, theirs, ours] = outcome.stdout.replace(/^3 pipe:.*\n/gm, "").split(
      /^=== \w+\n/m,
    );
    const [argv, env, rest] = ours.split("\x01");
    assert.equal(argv, ["sh", "-c", script, "", "a b", "ü", ""].join("\0"));
    assert.equal(env, "A=\0B=a b\0C=ünï\0PATH=/usr/bin:/bin\0K=new\0");
    // USR1 stays ignored, as the caller had it (and as unshare passes it on);
    // SIGPIPE, 32 and 33 are what Deno and glibc add, and are reset.
    expectIgnoredSignals({ status: rest, callerIgnored: [10] });
    assert.match(rest, /^SigBlk:\t0000000000000000$/m);
    const fds = (text: string): string =>
      text.split("\n").filter((line) => /^\d+ /.test(line)).join("\n");
    assert.equal(fds(rest), fds(theirs.split("\x01")[2]));
    assert.match(fds(rest), /^5 \/dev\/null/m);
    assert.match(fds(rest), /^7 \/dev\/null/m);
  },
);

rootTest("SIGPIPE works: yes | head -1 ends at once", async () => {
  const outcome = expectCode(
    await mntns(["run", "--", "sh", "-c", "yes | head -1"]),
    0,
  );
  assert.equal(outcome.stdout, "y\n");
});

rootTest(
  "--init: mntns is PID 1, the command its child with a clean signal state, orphans reaped",
  async () => {
    const outcome = expectCode(
      await mntns([
        "run",
        "--init",
        "--",
        "sh",
        "-c",
        `
      echo "pid $$ ppid $PPID"; echo "exe1 $(readlink /proc/1/exe)"
      echo "cmdline1 $(tr '\\0' ' ' </proc/1/cmdline)"
      grep -E "^Sig(Ign|Blk)" /proc/self/status
      (sleep 0.1 &); (sleep 0.1 &); sleep 0.6
      echo "zombies $(grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l)"`,
      ]),
      0,
    );
    const out = outcome.stdout;
    const pid = Number(/^pid (\d+) ppid 1$/m.exec(out)?.[1]);
    assert.ok(pid > 1, out);
    // Under emulation PID 1's executable is qemu-user, running deno.
    assert.match(out, MNTNS_EMULATED ? /^exe1 .*qemu/m : /^exe1 .*deno/m);
    assert.match(out, /^cmdline1 .*__mntns-run-stage /m);
    expectIgnoredSignals({ status: out, callerIgnored: [] });
    assert.match(out, /^SigBlk:\t0000000000000000$/m);
    assert.match(out, /^zombies 0$/m);
  },
);

rootTest(
  "exit statuses: own, 128+N, 127, 126, 1, 2",
  () =>
    withMissingPath(async (missing) => {
      const shown = RegExp.escape(missing);
      const cases: [string[], number, RegExp | null][] = [
        [["sh", "-c", "exit 7"], 7, null],
        [["--init", "--", "sh", "-c", "kill -TERM $$"], 143, null],
        [
          ["no-such-command-here"],
          127,
          /^mntns: failed to execute no-such-command-here: ENOENT/,
        ],
        [
          ["/etc/passwd"],
          126,
          /^mntns: failed to execute \/etc\/passwd: EACCES/,
        ],
        [
          ["--rootfs", missing, "true"],
          1,
          new RegExp(`^mntns: --rootfs ${shown}: no such file or directory$`),
        ],
        [
          ["--bind", `${missing}:/mnt`, "true"],
          1,
          new RegExp(
            `^mntns: ${shown}: no such file or directory — the source of a bind must exist$`,
          ),
        ],
        [
          ["--wd", missing, "true"],
          1,
          new RegExp(`^mntns: chdir\\(${shown}\\): ENOENT`),
        ],
        [["--bogus"], 2, /^mntns: unrecognized option '--bogus'$/],
      ];
      for (const [args, code, message] of cases) {
        const outcome = expectCode(await mntns(["run", ...args]), code);
        if (message) {
          assert.match(outcome.stderr.split("\n")[0], message, args.join(" "));
        } else assert.equal(outcome.stderr, "");
      }
    }),
);

rootTest(
  "signals: SIGTERM to mntns ends the command (143), SIGKILL to the command gives 137",
  async () => {
    const outcome = expectCode(
      await bash(`
      ${MNTNS_SHELL_WORDS} run -- sleep 101 & p=$!
      until pgrep -fx 'sleep 101' >/dev/null; do sleep 0.02; done
      kill -TERM $p; wait $p && echo "plain $?" || echo "plain $?"
      ${MNTNS_SHELL_WORDS} run --init -- sleep 102 & p=$!
      until pgrep -fx 'sleep 102' >/dev/null; do sleep 0.02; done
      kill -TERM $p; wait $p && echo "init $?" || echo "init $?"
      ${MNTNS_SHELL_WORDS} run -- sleep 103 & p=$!
      until pgrep -fx 'sleep 103' >/dev/null; do sleep 0.02; done
      kill -KILL $(pgrep -fx 'sleep 103'); wait $p && echo "killed $?" || echo "killed $?"
      ${MNTNS_SHELL_WORDS} run -- sh -c 'trap "exit 3" TERM; sleep 104 & wait' & p=$!
      until pgrep -fx 'sleep 104' >/dev/null; do sleep 0.02; done
      kill -TERM $p; wait $p && echo "handled $?" || echo "handled $?"`),
      0,
    );
    assert.match(outcome.stdout, /^plain 143$/m);
    assert.match(outcome.stdout, /^init 143$/m);
    assert.match(outcome.stdout, /^killed 137$/m);
    assert.match(outcome.stdout, /^handled 3$/m);
    assert.equal(await leftovers("sleep 10[1-4]"), "");
  },
);

rootTest(
  "if mntns dies by SIGKILL, the command and its PID namespace die too",
  async () => {
    // An earlier test's stages may still be ending (slowly under
    // emulation): they are let go first, as they would be counted here.
    await leftoversWithin("__mntns", 10 * PATIENCE);
    for (const init of [[], ["--init"]]) {
      expectCode(
        await bash(`
        ${MNTNS_SHELL_WORDS} run ${
          init.join(" ")
        } -- sh -c 'sleep 105 & sleep 106' & p=$!
        until pgrep -fx 'sleep 106' >/dev/null; do sleep 0.02; done
        kill -KILL $p; wait $p || true`),
        0,
      );
      assert.equal(
        await leftoversWithin("sleep 10[56]|__mntns", 2 * PATIENCE),
        "",
        `run ${init}`,
      );
    }
  },
);

rootTest(
  "the seed failure cannot happen: a shared / outside keeps its /proc",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`
      mount --make-rshared /
      mkdir "$T/shared"; mount -t tmpfs sh "$T/shared"; mount --make-shared "$T/shared"
      before=$(cat /proc/self/mountinfo)
      mntns run -- sh -c 'mount -t tmpfs inner "$0/shared" && ls /proc | grep -cE "^[0-9]+$"' "$T"
      echo "default-unchanged $([ "$before" = "$(cat /proc/self/mountinfo)" ] && echo yes || echo no)"
      echo "default-procs $(ls /proc | grep -cE '^[0-9]+$')"
      mntns run --propagation shared -- sh -c 'mount -t tmpfs inner "$0/shared"' "$T"
      echo "shared-seen $(grep -c ' - tmpfs inner ' /proc/self/mountinfo)"
      echo "shared-proc $(grep -c ' /proc ' /proc/self/mountinfo)"
      echo "shared-procs $(ls /proc | grep -cE '^[0-9]+$')"`),
      0,
    );
    const out = outcome.stdout;
    assert.match(out, /^default-unchanged yes$/m);
    assert.ok(Number(/^default-procs (\d+)$/m.exec(out)![1]) > 20, out);
    assert.match(out, /^shared-seen 1$/m);
    assert.match(out, /^shared-proc 1$/m);
    assert.ok(Number(/^shared-procs (\d+)$/m.exec(out)![1]) > 20, out);
    assert.match(outcome.stderr, /warning: --propagation shared/);
  },
);

rootTest(
  "--rootfs: the command sees only the new root; --read-only; binds stay inside",
  async () => {
    const root = Deno.makeTempDirSync({ prefix: "mntns-root-" });
    const data = Deno.makeTempDirSync({ prefix: "mntns-data-" });
    try {
      await makeMiniRoot(root);
      if (await emulatorRefusesRootfs(root)) return;
      Deno.writeTextFileSync(`${data}/hello`, "from outside\n");
      Deno.symlinkSync("/etc", `${root}/escape`);
      Deno.symlinkSync("../../../../../../etc", `${root}/escape2`);
      const r = shellQuote(root);
      const outcome = expectCode(
        await inScratchNamespace(`
        mount --make-rshared /
        mntns run --rootfs ${r} --bind ${
          shellQuote(data)
        }:/mnt/data --tmpfs /tmp -- /bin/sh -c 'ls /; cat /etc/marker /mnt/data/hello; echo "wd $(pwd)"; touch /tmp/ok && echo tmpfs-ok'
        mntns run --init --rootfs ${r} --wd /etc -- /bin/sh -c 'echo "init ppid $PPID wd $(pwd)"; cat marker'
        echo '==='
        mntns run --rootfs ${r} --read-only -- /bin/sh -c 'touch /x 2>&1; echo "touch $?"' || true
        echo '==='
        mntns run --rootfs ${r} --bind ${
          shellQuote(data)
        }:/escape/evil -- /bin/sh -c 'cat /etc/evil/hello' 2>&1 || echo "exit $?"
        mntns run --rootfs ${r} --tmpfs /escape2/evil -- /bin/sh -c 'echo tmpfs; ls -a /etc/evil' 2>&1 || echo "exit $?"
        echo "host-etc $(ls -d /etc/evil 2>&1 | grep -c 'No such')"`),
        0,
      );
      const [inside, readOnly, escapes] = outcome.stdout.split("===\n");
      assert.deepEqual(
        inside.split("\n").slice(0, 8),
        ["bin", "dev", "escape", "escape2", "etc", "lib", "lib64", "mnt"],
      );
      assert.match(inside, /^mini root\nfrom outside\nwd \/\ntmpfs-ok$/m);
      assert.match(inside, /^init ppid 1 wd \/etc\nmini root$/m);
      assert.match(readOnly, /Read-only file system/);
      assert.match(readOnly, /^touch 1$/m);
      // Links resolve inside the new root, as they will after the pivot:
      // /escape (-> /etc) and /escape2 (-> ../../..) both lead to its /etc.
      assert.match(escapes, /^from outside\ntmpfs\n\.\n\.\.$/m);
      assert.ok(Deno.statSync(`${root}/etc/evil`).isDirectory);
      assert.match(escapes, /^host-etc 1$/m);
    } finally {
      Deno.removeSync(root, { recursive: true });
      Deno.removeSync(data, { recursive: true });
    }
  },
);

rootTest(
  "runs at once (20, 4 under emulation) all succeed with their own hostnames and leave nothing",
  async () => {
    // Under emulation each run is three Deno starts of seconds each: 20
    // runs take minutes there and test concurrency, not the architecture.
    const runs = Array.from(
      { length: MNTNS_EMULATED ? 4 : 20 },
      (_, i) =>
        mntns([
          "run",
          "--hostname",
          `box-${i}`,
          "--",
          "sh",
          "-c",
          "hostname; sleep 0.2",
        ]),
    );
    const outcomes = await Promise.all(runs);
    outcomes.forEach((outcome, i) => {
      expectCode(outcome, 0);
      assert.equal(outcome.stdout, `box-${i}\n`);
    });
    assert.equal(await leftovers("__mntns"), "");
  },
);

rootTest(
  "interactive: a shell with job control on a terminal; Ctrl-C reaches its foreground job; --init ends with 130",
  async () => {
    const session = `mntns-${Deno.pid}`;
    const terminal = await openTerminal(
      session,
      `env SHELL=/bin/bash PS1='tty$ ' ${
        MNTNS.map(shellQuote).join(" ")
      } run --hostname ttybox -- bash --norc -i; echo "mntns exited $?"; sleep 30`,
    );
    try {
      await terminal.waitFor(/^tty\$\s*$/m);
      await terminal.keys("echo flags=$- host=$(hostname) pid=$$", "Enter");
      await terminal.waitFor(/^flags=\S*m\S* host=ttybox pid=1$/m);
      await interruptThenExit(terminal);
    } finally {
      await terminal.close();
    }
  },
);

rootTest(
  "the waiting mntns and PID 1 of --init run deno --quiet: Deno's progress line (a cold cache) cannot clear the command's prompt off the terminal",
  async () => {
    // Each hidden stage is a Deno start that shares the terminal with the
    // command; from a cold cache Deno draws and clears a progress line as
    // it loads, and the clear erased a shell's prompt that came first (the
    // interactive test above then saw a blank screen).
    const outcome = expectCode(
      await bash(`${MNTNS_SHELL_WORDS} run --init -- sleep 30 & m=$!
      i=0
      until s=$(pgrep -P $m) && [ -n "$s" ] && pgrep -P "$s" -x sleep > /dev/null; do
        i=$((i + 1)); [ $i -lt 600 ] || { echo "no sleep under $m" >&2; exit 1; }
        sleep 0.05
      done
      for p in $m $s; do echo "@@$(tr '\\0' ' ' < /proc/$p/cmdline)"; done
      kill $m; wait $m || :`),
      0,
    );
    const stages = outcome.stdout.split("\n").filter((line) =>
      line.startsWith("@@")
    ).map((line) => line.slice(2).trim().split(" "));
    assert.equal(stages.length, 2, outcome.stdout);
    for (const argv of stages) {
      const stage = argv.findIndex((word) => word.startsWith("__mntns-"));
      assert.ok(stage > 0, argv.join(" "));
      // Under deno run, --quiet comes between `run` and the words; a
      // compiled mntns is its binary and the words alone (under qemu-user,
      // the emulator and the binary's path come first).
      const denoRun = argv.indexOf("run");
      if (denoRun !== -1 && denoRun < stage) {
        assert.ok(
          argv.slice(denoRun, stage).includes("--quiet"),
          argv.join(" "),
        );
      } else {
        assert.ok(
          argv.slice(0, stage).every((word) => !word.startsWith("-")),
          argv.join(" "),
        );
      }
    }
  },
);

rootTest(
  "HUP, USR1 and friends reach a command that handles them",
  async () => {
    // set -m: a background job of a shell without job control starts with
    // INT and QUIT ignored, and mntns (like unshare) keeps them ignored.
    const outcome = expectCode(
      await bash(`set -m
      ${MNTNS_SHELL_WORDS} run -- sh -c 'trap "echo usr1" USR1; trap "echo usr2" USR2; trap "echo quit" QUIT; trap "echo int" INT; trap "echo hup; exit 4" HUP; echo ready; while :; do sleep 0.05; done' > "$0.out" & p=$!
      # Each signal is sent once the one before it has been handled: pending
      # signals are taken lowest number first, not in the order sent.
      shown() { local n=0; until grep -qx "$1" "$0.out" 2>/dev/null; do n=$((n + 1)); [ $n -lt 6000 ] || return 1; sleep 0.02; done; }
      shown ready
      for s in USR1 USR2 QUIT INT; do kill -$s $p; shown "\${s,,}"; done
      kill -HUP $p; wait $p && echo "exit $?" || echo "exit $?"
      cat "$0.out"; rm -f "$0.out"`),
      0,
    );
    assert.match(outcome.stdout, /^exit 4$/m);
    assert.match(outcome.stdout, /^ready\nusr1\nusr2\nquit\nint\nhup$/m);
  },
);

rootTest(
  "teardown: when the run ends, slaves of a group only it held become private",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`
      mkdir "$T/a"; mount -t tmpfs ta "$T/a"; mount --make-shared "$T/a"
      mntns run --propagation unchanged -- sh -c 'touch "$0/a/inside"; sleep 0.5' "$T" & p=$!
      until [ -e "$T/a/inside" ]; do sleep 0.02; done
      mount --make-slave "$T/a"
      echo "during $(findmnt -no PROPAGATION "$T/a")"
      wait $p
      echo "after $(findmnt -no PROPAGATION "$T/a")"
      echo "mounts $(grep -c " $T/a " /proc/self/mountinfo)"`),
      0,
    );
    assert.match(outcome.stdout, /^during private,slave$/m);
    assert.match(outcome.stdout, /^after private$/m);
    assert.match(outcome.stdout, /^mounts 1$/m);
  },
);

rootTest(
  "without CAP_SYS_ADMIN: one line that names the privilege",
  async () => {
    for (const args of [["true"], ["--no-pid", "true"], ["--init", "true"]]) {
      const outcome = expectCode(
        await run([
          "setpriv",
          "--bounding-set=-sys_admin",
          ...MNTNS,
          "run",
          ...args,
        ]),
        1,
      );
      assert.equal(
        outcome.stderr,
        "mntns: unshare(): EPERM (Operation not permitted) — needs CAP_SYS_ADMIN: run as root\n",
        args.join(" "),
      );
    }
  },
);
