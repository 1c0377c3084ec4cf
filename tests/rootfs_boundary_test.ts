/**
 * What a new root keeps from the host: binds are nosuid and nodev (only
 * `--dev-bind` keeps devices usable, as bubblewrap's), /proc is masked as
 * runc's default spec masks it (`--unmasked-proc` leaves it whole), and
 * the host's own root can be the new root (`--rootfs /`, as `bwrap --bind
 * / /`).
 *
 * @module
 */

import assert from "node:assert/strict";
import { expectCode, shellQuote } from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { makeMiniRoot } from "../scripts/mini_root.ts";
import { BWRAP, requireBwrap } from "./bwrap.ts";
import { sections } from "./run_functions.ts";

rootTest(
  "a block device in the new root or a --bind source cannot be opened after --cap-drop ALL (nodev, as bwrap --bind); --dev-bind can",
  async () => {
    const root = Deno.makeTempDirSync({ prefix: "mntns-root-" });
    try {
      await makeMiniRoot(root, ["head", "grep"]);
      const r = shellQuote(root);
      const outcome = expectCode(
        await inScratchNamespace(`
        truncate -s 64K "$T/image"
        loop=$(losetup -f --show "$T/image")
        trap 'losetup -d "$loop"; kill $(jobs -p) 2>/dev/null || :' EXIT
        number=$(stat -c '%t %T' "$loop")
        mkdir ${r}/hd "$T/devs"
        mknod ${r}/hd/disk b $((0x\${number% *})) $((0x\${number#* }))
        mknod "$T/devs/disk" b $((0x\${number% *})) $((0x\${number#* }))
        try() { if head -c 2048 "$1" >/dev/null; then echo "read $1"; else echo "refused $1"; fi; }
        echo "=== host"; try "$T/devs/disk"
        echo "=== root"
        mntns run --rootfs ${r} --cap-drop ALL -- /bin/sh -c 'head -c 2048 /hd/disk >/dev/null 2>&1 || echo "refused $?"' 2>&1
        echo "=== bind"
        mntns run --cap-drop ALL --bind "$T/devs:/mnt" -- sh -c 'head -c 2048 /mnt/disk >/dev/null && echo read; grep " /mnt " /proc/self/mountinfo' 2>&1 || :
        echo "=== ro-bind"
        mntns run --ro-bind "$T/devs:/mnt" -- sh -c 'grep " /mnt " /proc/self/mountinfo'
        echo "=== dev-bind"
        mntns run --cap-drop ALL --dev-bind "$T/devs:/mnt" -- sh -c 'head -c 2048 /mnt/disk | wc -c; grep " /mnt " /proc/self/mountinfo'
        echo "=== root-options"
        mntns run --rootfs ${r} --no-dev -- /bin/grep " / " /proc/self/mountinfo
        if [ -n ${shellQuote(BWRAP)} ]; then
          echo "=== bwrap"
          bwrap --bind / / --proc /proc --bind "$T/devs" /mnt --cap-drop ALL sh -c 'head -c 2048 /mnt/disk >/dev/null 2>&1 || echo refused; grep " /mnt " /proc/self/mountinfo'
        fi`),
        0,
      );
      const out = sections(outcome.stdout);
      assert.match(out.host, /^read /);
      assert.match(out.root, /^refused 1$/m);
      assert.match(
        out.bind,
        /head: cannot open '\/mnt\/disk' for reading: Permission denied/,
      );
      assert.doesNotMatch(out.bind, /^read$/m);
      const options = (line: string): string => line.split(" ")[5];
      for (const name of ["bind", "ro-bind", "root-options"]) {
        const line = out[name].split("\n").find((l) => / \/m?n?t? /.test(l))!;
        assert.match(options(line), /^r[ow],nosuid,nodev\b/, name);
      }
      assert.match(options(out["ro-bind"].trim()), /^ro,/);
      assert.match(out["dev-bind"], /^2048$/m);
      assert.match(
        options(out["dev-bind"].trim().split("\n")[1]),
        /^rw,nosuid\b/,
      );
      assert.doesNotMatch(
        options(out["dev-bind"].trim().split("\n")[1]),
        /nodev/,
      );
      if (requireBwrap()) {
        assert.match(out.bwrap, /^refused$/m);
        const bwrapLine = out.bwrap.trim().split("\n")[1];
        assert.equal(
          options(bwrapLine),
          options(out.bind.trim().split("\n").at(-1)!),
        );
      }
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
);

rootTest(
  "/proc under --rootfs is masked as runc's: keys, timer_list, kcore empty, /proc/sys read-only (EROFS); --unmasked-proc restores them",
  async () => {
    const root = Deno.makeTempDirSync({ prefix: "mntns-root-" });
    try {
      await makeMiniRoot(root, ["head", "wc"]);
      const r = shellQuote(root);
      const script = `
        for f in /proc/keys /proc/timer_list /proc/kcore; do
          if [ -e "$f" ]; then echo "$f $(head -c 4096 "$f" 2>&1 | wc -c)"; else echo "$f missing"; fi
        done
        echo mntns-test >/proc/sys/kernel/hostname 2>&1 && echo "hostname written"
        if [ -e /proc/sysrq-trigger ]; then echo 1 >/proc/sysrq-trigger 2>&1 || :; else echo "sysrq-trigger missing"; fi
        ls /proc/acpi 2>&1 | wc -l`;
      const outcome = expectCode(
        await inScratchNamespace(`
        echo "=== masked"
        mntns run --rootfs ${r} -- /bin/sh -c ${shellQuote(script)} 2>&1
        echo "=== unmasked"
        mntns run --rootfs ${r} --unmasked-proc -- /bin/sh -c ${
          shellQuote(script)
        } 2>&1
        echo "=== usage"
        mntns run --unmasked-proc -- true 2>&1 || echo "exit $?"`),
        0,
      );
      const out = sections(outcome.stdout);
      assert.match(out.masked, /^\/proc\/keys 0$/m);
      assert.match(out.masked, /^\/proc\/timer_list 0$/m);
      assert.match(out.masked, /^\/proc\/kcore (0|missing)$/m);
      assert.match(
        out.masked,
        /cannot create \/proc\/sys\/kernel\/hostname: Read-only file system/,
      );
      assert.match(
        out.masked,
        /cannot create \/proc\/sysrq-trigger: Read-only file system|^sysrq-trigger missing$/m,
      );
      assert.doesNotMatch(out.masked, /hostname written/);
      assert.match(out.unmasked, /^\/proc\/keys [1-9]\d*$/m);
      assert.match(out.unmasked, /^\/proc\/timer_list [1-9]\d*$/m);
      assert.match(out.unmasked, /^hostname written$/m);
      assert.equal(
        out.usage,
        "mntns: --unmasked-proc needs --rootfs\nTry 'mntns run --help' for more information.\nexit 2\n",
      );
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
);

rootTest(
  "run --rootfs / works, as bwrap --bind / / --dev /dev",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`
        mntns run --rootfs / -- sh -c 'echo ok; ls /dev/null; head -c 0 /dev/zero && echo zero'`),
      0,
    );
    assert.equal(outcome.stdout, "ok\n/dev/null\nzero\n");
  },
);
