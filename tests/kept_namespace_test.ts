/**
 * Issue 13, as root, for real: kept mount namespaces. `isolate --mount=FILE`
 * against util-linux `unshare --mount=FILE`, entered with `mntns enter
 * FILE` and `nsenter --mount=FILE`, read with `propagation ... --ns FILE`,
 * and removed with `umount FILE`. Every kept namespace is bound under the
 * private tmpfs of a scratch namespace, never on this machine's mounts.
 */
import { filesystems } from "./findmnt_json.ts";
import assert from "node:assert/strict";
import { MNTNS_SHELL_WORDS } from "./under_test.ts";
import { expectCode, shellQuote } from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { sections } from "./run_functions.ts";

rootTest(
  "isolate --mount=FILE: a tmpfs mounted by enter FILE is seen by a second enter and by nsenter --mount=FILE; umount FILE ends the namespace",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`
      mkdir "$T/sh" "$T/wd" "$T/k"; mount -t tmpfs shx "$T/sh"; mount --make-shared "$T/sh"
      touch "$T/ns"; cd "$T/wd"
      echo "=== isolate"; mntns isolate --propagation unchanged --mount=../ns -- sh -c 'pwd; findmnt -no FSTYPE "$0/ns" || echo unbound' "$T"
      echo "=== here"; findmnt -no FSTYPE "$T/ns"
      mntns enter "$T/ns" -- mount -t tmpfs kept "$T/k"
      echo "=== enter"; mntns enter "$T/ns" -- sh -c 'findmnt -no SOURCE "$0/k"; pwd' "$T"
      echo "=== nsenter"; nsenter --mount="$T/ns" findmnt -no SOURCE "$T/k"
      echo "=== scratch"; findmnt -no SOURCE "$T/k" || echo none
      # The kept namespace's copy of $T/sh is now the only peer of the
      # group $T/sh leaves: $T/sh is its slave until that namespace ends.
      mount --make-slave "$T/sh"
      echo "=== before"; findmnt -no PROPAGATION "$T/sh"
      umount "$T/ns"
      echo "=== after"; findmnt -no PROPAGATION "$T/sh"
      echo "=== enter-after"; mntns enter "$T/ns" -- true 2>&1 || echo "exit $?"
      echo "=== nsenter-after"; nsenter --mount="$T/ns" true 2>&1 || echo "exit $?"`),
      0,
    );
    const out = sections(outcome.stdout);
    // The command runs in the new namespace, in the caller's directory; the
    // file is bound in the caller's namespace only.
    assert.match(out.isolate, /\/wd\nunbound\n$/);
    assert.equal(out.here, "nsfs\n");
    assert.equal(out.enter, "kept\n/\n");
    assert.equal(out.nsenter, "kept\n");
    assert.equal(out.scratch, "none\n");
    assert.equal(out.before, "private,slave\n");
    assert.equal(out.after, "private\n");
    assert.match(
      out["enter-after"],
      /^mntns: .*\/ns: a plain file, not a namespace file \(one is kept there by 'mntns isolate --mount=.*\/ns'\)\nexit 1\n$/,
    );
    assert.match(out["nsenter-after"], /Invalid argument\nexit 1\n$/);
  },
);

rootTest(
  "a namespace kept by unshare --mount=FILE and one kept by mntns are alike, and each tool enters the other's",
  async () => {
    // util-linux's bind fails at random on Linux 6.18 when its outer
    // namespace got its id on another CPU (see the next test): the oracle
    // runs pinned to one CPU, in an outer namespace made on that CPU.
    const inner = `
      touch "$T/u" "$T/m"
      unshare --mount="$T/u" true
      mntns isolate --mount="$T/m" -- true
      mntns enter "$T/u" -- mount -t tmpfs by-mntns /mnt
      nsenter --mount="$T/m" mount -t tmpfs by-nsenter /mnt
      echo "=== u"; nsenter --mount="$T/u" findmnt -no SOURCE /mnt
      echo "=== m"; mntns enter "$T/m" -- findmnt -no SOURCE /mnt
      echo "=== u-mounts"; nsenter --mount="$T/u" findmnt -rno TARGET,PROPAGATION,FSTYPE
      echo "=== m-mounts"; nsenter --mount="$T/m" findmnt -rno TARGET,PROPAGATION,FSTYPE
      echo "=== u-show"; mntns propagation show --ns "$T/u" --list --json /mnt
      echo "=== end"`;
    const outcome = expectCode(
      await inScratchNamespace(
        `T="$T" taskset -c 0 unshare -m --propagation unchanged bash -euc ${
          shellQuote(`mntns() { ${MNTNS_SHELL_WORDS} "$@"; }\n${inner}`)
        }`,
      ),
      0,
    );
    const out = sections(outcome.stdout);
    assert.equal(out.u, "by-mntns\n");
    assert.equal(out.m, "by-nsenter\n");
    // Alike but for /mnt (each has its own tmpfs there) and the kept files
    // (the later namespace holds a copy of the earlier one's bind).
    const compared = (text: string): string =>
      text.split("\n").filter((line) =>
        !line.startsWith("/mnt ") && !line.endsWith(" nsfs")
      ).join("\n");
    assert.equal(compared(out["m-mounts"]), compared(out["u-mounts"]));
    assert.match(out["m-mounts"], /^\/ private /m);
    assert.deepEqual(
      filesystems(out["u-show"]).map((mount) => mount.source),
      ["by-mntns"],
    );
  },
);

rootTest(
  "isolate --mount=FILE works where unshare --mount=FILE fails: the outer namespace's id came from another CPU",
  async () => {
    if (navigator.hardwareConcurrency < 2) return; // one CPU: ids are in order
    const inner = `
      mkdir -p "$T/wd"; cd "$T/wd"; n=0
      for i in 1 2 3 4 5; do
        touch "$T/u$i" "$T/m$i"
        taskset -c 1 unshare --mount="$T/u$i" true 2>/dev/null || n=$((n+1))
        taskset -c 1 ${MNTNS_SHELL_WORDS} isolate --mount="$T/m$i" -- sh -c 'echo "$(pwd) $(grep Cpus_allowed_list /proc/self/status)"'
        ${MNTNS_SHELL_WORDS} enter "$T/m$i" -- true && echo "entered $i"
      done
      echo "util-linux failed $n of 5"`;
    const outcome = expectCode(
      await inScratchNamespace(
        `T="$T" taskset -c 0 unshare -m --propagation unchanged bash -euc ${
          shellQuote(inner)
        }`,
      ),
      0,
    );
    const lines = outcome.stdout.trim().split("\n");
    for (let i = 1; i <= 5; i++) {
      assert.ok(lines.includes(`entered ${i}`), outcome.stdout);
    }
    // The command keeps the caller's directory and CPU affinity.
    assert.equal(
      lines.filter((line) => /\/wd Cpus_allowed_list:\t1$/.test(line)).length,
      5,
      outcome.stdout,
    );
    // Measured: util-linux fails here every time (not asserted: it depends
    // on how far each CPU's batch of ids has come).
    console.log(lines.at(-1));
  },
);

rootTest(
  "FILE on a shared mount, missing or a directory: one line, exit 1, nothing bound (unshare --mount=FILE refuses the shared one too)",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`
      mkdir "$T/s"; mount -t tmpfs s "$T/s"; mount --make-shared "$T/s"; touch "$T/s/ns"
      echo "=== shared"; mntns isolate --mount="$T/s/ns" -- true 2>&1 || echo "exit $?"
      echo "=== util-linux"; unshare --mount="$T/s/ns" true 2>&1 | grep -c 'Invalid argument' || :
      echo "=== missing"; mntns isolate --mount="$T/none" -- true 2>&1 || echo "exit $?"
      echo "=== directory"; mntns isolate --mount="$T/s" -- true 2>&1 || echo "exit $?"
      echo "=== bound"; findmnt -rno TARGET -t nsfs | grep -c "^$T/" || :`),
      0,
    );
    const out = sections(outcome.stdout);
    assert.match(
      out.shared,
      /^mntns: \/.*\/s\/ns: the mount it is on \(\/.*\/s\) is shared — a namespace is kept only on a private mount, as with unshare --mount=FILE: keep it in a directory bound on itself and made private \(mount --bind DIR DIR; mount --make-private DIR\)\nexit 1\n$/,
    );
    assert.equal(out["util-linux"], "1\n");
    assert.match(
      out.missing,
      /^mntns: \/.*\/none: no such file — create it first \(touch .*\): a namespace is kept on an existing file\nexit 1\n$/,
    );
    assert.match(
      out.directory,
      /^mntns: \/.*\/s: not a regular file — a namespace is kept on a regular file \(touch .*\)\nexit 1\n$/,
    );
    assert.equal(out.bound, "0\n");
  },
);

rootTest(
  "propagation show, peers, reach and check --ns FILE read the kept namespace, as the kernel has it",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`
      mkdir "$T/sh"; mount -t tmpfs shx "$T/sh"; mount --make-shared "$T/sh"; mkdir "$T/sh/x"
      touch "$T/ns" "$T/ns2"
      mntns isolate --propagation unchanged --mount="$T/ns" -- true
      mntns isolate --propagation shared --mount="$T/ns2" -- true
      echo "=== show"; mntns propagation show --ns "$T/ns" --json --list -o ID,TARGET,PEER
      echo "=== mountinfo"; nsenter --mount="$T/ns" cat /proc/self/mountinfo
      echo "=== peers"; mntns propagation peers --ns "$T/ns"
      echo "=== reach"; mntns propagation reach --ns "$T/ns" --all-namespaces --json "$T/sh/x"
      echo "=== inodes"; readlink /proc/self/ns/mnt; nsenter --mount="$T/ns" readlink /proc/self/ns/mnt
      nsenter --mount="$T/ns" mount -t tmpfs event "$T/sh/x"
      echo "=== arrived"; findmnt -no SOURCE "$T/sh/x"
      echo "=== check"; mntns propagation check --ns "$T/ns" || echo "exit $?"
      echo "=== check2"; mntns propagation check --ns "$T/ns2" || echo "exit $?"
      echo "=== end"`),
      0,
    );
    const out = sections(outcome.stdout);
    const shown = filesystems(out.show).map((mount) =>
      `${mount.id} ${mount.target} ${mount.peer}`
    );
    const kernel = out.mountinfo.trim().split("\n").map((line) => {
      const fields = line.split(" ");
      const peer = /(?:^| )shared:(\d+)/.exec(
        fields.slice(6, fields.indexOf("-")).join(" "),
      )?.[1] ?? null;
      return `${fields[0]} ${fields[4]} ${peer}`;
    });
    assert.deepEqual(shown, kernel);
    const [scratchNs, keptNs] = out.inodes.trim().split("\n").map((link) =>
      Number(/\[(\d+)\]/.exec(link)![1])
    );
    assert.match(
      out.peers,
      new RegExp(`^namespace ${keptNs}: kept at .*/ns, no process in it$`, "m"),
    );
    const reach = JSON.parse(out.reach);
    assert.equal(reach.mount.ns, keptNs);
    const places = reach.reaches.map((place: { ns: number; target: string }) =>
      `${place.ns} ${place.target}`
    ).sort();
    assert.ok(places.includes(`${keptNs} ${reach.path}`), out.reach);
    assert.ok(places.includes(`${scratchNs} ${reach.path}`), out.reach);
    assert.equal(out.arrived, "event\n");
    assert.equal(out.check, "no propagation hazards\n");
    assert.match(out.check2, /^shared-root +\d+ +- /m);
    assert.match(out.check2, /^exit 1$/m);
  },
);
