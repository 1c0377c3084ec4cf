/**
 * `run --rootfs` as a place programs can live in: the minimal /dev
 * (against bubblewrap's `--dev`), /proc and /dev made when missing,
 * `--no-dev`, `--dev-bind`, tmpfs modes and sizes (against bubblewrap's
 * `--perms` and `--size`), and `--dir`/`--symlink` in order (against
 * bubblewrap's).
 */
import assert from "node:assert/strict";
import { parseMountinfo } from "../lib/mount/mount_table.ts";
import { expectCode, shellQuote } from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { makeMiniRoot } from "../scripts/mini_root.ts";
import { BWRAP, requireBwrap } from "./bwrap.ts";

/** What the tests run inside the mini root, besides its usual programs. */
const PROGRAMS = [
  "head",
  "wc",
  "script",
  "stat",
  "readlink",
  "id",
  "find",
  "grep",
  "tr",
  "tty",
];

/** Sections of a script's output separated by `=== NAME` lines. */
function sections(stdout: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of stdout.split(/^=== /m).slice(1)) {
    const newline = part.indexOf("\n");
    parts[part.slice(0, newline)] = part.slice(newline + 1);
  }
  return parts;
}

/** A mini root without /dev and without /proc, removed after `fn`. */
async function withMiniRoot(
  fn: (root: string) => Promise<void>,
): Promise<void> {
  const root = Deno.makeTempDirSync({ prefix: "mntns-root-" });
  try {
    await makeMiniRoot(root, PROGRAMS);
    Deno.removeSync(`${root}/proc`);
    // A temporary directory is 0700: / must be searchable for other users.
    Deno.chmodSync(root, 0o755);
    await fn(root);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
}

/**
 * `ls -la` lines without what differs between two makings of the same
 * tree: link counts, sizes and times; `name -> target` and `major, minor`
 * stay.
 */
function listing(text: string): string[] {
  return text.split("\n").filter((line) => /^[-dlcbps]/.test(line)).map(
    (line) => {
      const [mode, , owner, group, ...rest] = line.split(/\s+/);
      const name = rest.slice(rest.findIndex((word) => /:\d\d$/.test(word)) + 1)
        .join(" ");
      const device = /^(\d+),$/.test(rest[0]) ? ` ${rest[0]} ${rest[1]}` : "";
      return `${mode} ${owner} ${group}${device} ${name}`;
    },
  );
}

/** Each mount below /dev: its per-mount options, type and super options. */
function devMounts(mountinfo: string): Map<string, string> {
  return new Map(
    parseMountinfo(mountinfo).filter((mount) =>
      mount.target === "/dev" || mount.target.startsWith("/dev/")
    ).map((
      mount,
    ) => [
      mount.target,
      `${mount.options} ${mount.fstype} ${mount.superOptions}`,
    ]),
  );
}

rootTest(
  "--rootfs without /dev and /proc: both made, a minimal /dev that works, the same as bwrap --dev",
  async () => {
    await withMiniRoot(async (root) => {
      const r = shellQuote(root);
      const outcome = expectCode(
        await inScratchNamespace(`
        echo "=== inside"
        mntns run --rootfs ${r} --env SHELL=/bin/sh -- /bin/sh -c '
          echo hi > /dev/null; echo "null $?"
          echo "urandom $(head -c 4 /dev/urandom | wc -c)"
          echo "full $(head -c 1 /dev/zero 2>&1 > /dev/full)"
          echo "pty $(script -qec /bin/tty /dev/null | tr -d "\\r")"
          echo "shm $(stat -c "%a %u" /dev/shm)"
          echo "=== ls"; ls -la /dev /dev/pts
          echo "=== mountinfo"; cat /proc/self/mountinfo' < /dev/null
        echo "=== after"; find ${r}/dev ${r}/proc
        if [ -n ${shellQuote(BWRAP)} ]; then
          echo "=== bwrap-ls"
          bwrap --bind ${r} / --dev /dev --proc /proc /bin/ls -la /dev /dev/pts
          echo "=== bwrap-mountinfo"
          bwrap --bind ${r} / --dev /dev --proc /proc /bin/cat /proc/self/mountinfo
        fi`),
        0,
      );
      const out = sections(outcome.stdout);
      assert.match(out.inside, /^null 0$/m);
      assert.match(out.inside, /^urandom 4$/m);
      assert.match(out.inside, /^full .*No space left on device$/m);
      assert.match(out.inside, /^pty \/dev\/pts\/0$/m);
      assert.match(out.inside, /^shm 1777 0$/m);
      // Nothing was written to the root's disk: /dev and /proc are empty.
      assert.deepEqual(out.after.trim().split("\n"), [
        `${root}/dev`,
        `${root}/proc`,
      ]);
      const ours = listing(out.ls);
      assert.deepEqual(
        ours.filter((line) => !line.endsWith(" .")).sort(),
        [
          "crw-rw-rw- 0 0 1, 3 null",
          "crw-rw-rw- 0 0 1, 5 zero",
          "crw-rw-rw- 0 0 1, 7 full",
          "crw-rw-rw- 0 0 1, 8 random",
          "crw-rw-rw- 0 0 1, 9 urandom",
          "crw-rw-rw- 0 0 5, 0 tty",
          "crw-rw-rw- 0 0 5, 2 ptmx",
          "drwxr-xr-x 0 0 ..",
          "drwxr-xr-x 0 0 ..",
          "drwxr-xr-x 0 0 pts",
          "drwxrwxrwt 0 0 shm",
          "lrwxrwxrwx 0 0 fd -> /proc/self/fd",
          "lrwxrwxrwx 0 0 ptmx -> pts/ptmx",
          "lrwxrwxrwx 0 0 stderr -> /proc/self/fd/2",
          "lrwxrwxrwx 0 0 stdin -> /proc/self/fd/0",
          "lrwxrwxrwx 0 0 stdout -> /proc/self/fd/1",
        ].sort(),
      );
      const mounts = devMounts(out.mountinfo);
      assert.equal(
        mounts.get("/dev"),
        "rw,nosuid,nodev,relatime tmpfs rw,mode=755",
      );
      assert.match(mounts.get("/dev/null")!, /^rw,nosuid\b/);
      assert.doesNotMatch(mounts.get("/dev/null")!, /nodev/);
      assert.equal(
        mounts.get("/dev/pts"),
        "rw,nosuid,noexec,relatime devpts rw,mode=620,ptmxmode=666",
      );
      assert.equal(
        mounts.get("/dev/shm"),
        "rw,nosuid,nodev,noexec,relatime tmpfs rw",
      );
      if (requireBwrap()) {
        // bubblewrap adds /dev/core -> /proc/kcore and makes /dev/shm a plain
        // directory (runc's and mntns's are a 1777 tmpfs): all else is alike.
        const differs = (line: string): boolean =>
          / (core -> \/proc\/kcore|shm)$/.test(line);
        assert.deepEqual(
          ours.filter((line) => !differs(line)),
          listing(out["bwrap-ls"]).filter((line) => !differs(line)),
        );
        const theirs = devMounts(out["bwrap-mountinfo"]);
        mounts.delete("/dev/shm");
        assert.deepEqual(mounts, theirs);
      }
    });
  },
);

rootTest(
  "--no-dev leaves the root's own /dev alone; --dev-bind adds a device, as bwrap --dev-bind",
  async () => {
    await withMiniRoot(async (root) => {
      Deno.mkdirSync(`${root}/dev`);
      Deno.writeTextFileSync(`${root}/dev/own`, "the root's own\n");
      const r = shellQuote(root);
      const outcome = expectCode(
        await inScratchNamespace(`
        echo "=== nodev"
        mntns run --rootfs ${r} --no-dev -- /bin/sh -c 'ls /dev; grep -c "^[0-9]* [0-9]* [0-9:]* [^ ]* /dev " /proc/self/mountinfo || :'
        echo "=== devbind"
        mntns run --rootfs ${r} --dev-bind /dev/full:/mnt/full -- /bin/sh -c '
          echo "write $(head -c 1 /dev/zero 2>&1 > /mnt/full)"; grep " /mnt/full " /proc/self/mountinfo'
        if [ -n ${shellQuote(BWRAP)} ]; then
          echo "=== bwrap"
          bwrap --bind ${r} / --proc /proc --dev-bind /dev/full /mnt/full /bin/grep " /mnt/full " /proc/self/mountinfo
        fi`),
        0,
      );
      const out = sections(outcome.stdout);
      assert.equal(out.nodev, "own\n0\n");
      assert.match(out.devbind, /^write .*No space left on device$/m);
      const options = (text: string): string => {
        const mount = parseMountinfo(text.replace(/^write .*\n/m, ""))[0];
        return `${mount.options} ${mount.fstype}`;
      };
      assert.match(options(out.devbind), /^rw,nosuid,relatime devtmpfs$/);
      if (requireBwrap()) {
        assert.equal(options(out.devbind), options(out.bwrap));
      }
      assert.equal(
        Deno.readTextFileSync(`${root}/dev/own`),
        "the root's own\n",
      );
    });
  },
);

rootTest(
  "a root on a read-only file system without /proc: one line naming it",
  async () => {
    await withMiniRoot(async (root) => {
      const r = shellQuote(root);
      const outcome = expectCode(
        await inScratchNamespace(`
        mount --bind ${r} ${r}; mount -o remount,bind,ro ${r}
        mntns run --rootfs ${r} --no-dev -- /bin/sh -c 'echo ran'`),
        1,
      );
      assert.equal(
        outcome.stderr,
        `mntns: /proc: cannot be made in the new root ${root}, which is on a read-only file system — create it there first\n`,
      );
      assert.equal(outcome.stdout, "");
    });
  },
);

rootTest(
  "--tmpfs /tmp is 1777 and another user can write there; --tmpfs-size 1m refuses the second megabyte; modes and sizes as bwrap --perms/--size",
  async () => {
    await withMiniRoot(async (root) => {
      const r = shellQuote(root);
      const outcome = expectCode(
        await inScratchNamespace(`
        echo "=== tmp"
        mntns run --rootfs ${r} --tmpfs /tmp --user 65534:65534 -- /bin/sh -c '
          touch /tmp/mine && stat -c "%a %u %n" /tmp /tmp/mine'
        echo "=== size"
        mntns run --rootfs ${r} --tmpfs-size 1m --tmpfs /tmp -- /bin/sh -c '
          head -c 2097152 /dev/zero > /tmp/big; echo "head $?"; stat -c "%s" /tmp/big' 2>&1
        echo "=== modes"
        mntns run --rootfs ${r} --tmpfs /mnt --tmpfs-mode 700 --tmpfs-size 1048576 --tmpfs /etc/x \\
          --tmpfs-mode 1777 --tmpfs /var/tmp -- /bin/sh -c '
          stat -c "%a %n" /mnt /etc/x /var/tmp; grep -E " / /(mnt|etc/x|var/tmp) " /proc/self/mountinfo'
        if [ -n ${shellQuote(BWRAP)} ]; then
          echo "=== bwrap"
          bwrap --bind ${r} / --dev /dev --proc /proc --tmpfs /mnt --perms 700 --size 1048576 --tmpfs /etc/x \\
            --perms 1777 --tmpfs /var/tmp /bin/sh -c '
            stat -c "%a %n" /mnt /etc/x /var/tmp; grep -E " / /(mnt|etc/x|var/tmp) " /proc/self/mountinfo'
        fi`),
        0,
      );
      const out = sections(outcome.stdout);
      assert.equal(out.tmp, "1777 0 /tmp\n644 65534 /tmp/mine\n");
      assert.match(out.size, /No space left on device/);
      assert.match(out.size, /^head 1\n1048576\n$/m);
      const modes = out.modes.split("\n").slice(0, 3);
      assert.deepEqual(modes, ["755 /mnt", "700 /etc/x", "1777 /var/tmp"]);
      const mounts = (text: string): string[] =>
        parseMountinfo(text.split("\n").slice(3).join("\n")).map((mount) =>
          `${mount.target} ${mount.options} ${mount.superOptions}`
        );
      assert.deepEqual(mounts(out.modes), [
        "/mnt rw,nosuid,nodev,relatime rw,mode=755",
        "/etc/x rw,nosuid,nodev,relatime rw,size=1024k,mode=700",
        "/var/tmp rw,nosuid,nodev,relatime rw",
      ]);
      if (requireBwrap()) {
        assert.equal(
          out.bwrap.split("\n").slice(0, 3).join("\n"),
          modes.join("\n"),
        );
        assert.deepEqual(mounts(out.bwrap), mounts(out.modes));
      }
    });
  },
);

rootTest(
  "--dir and --symlink are made in order with the mounts, as bwrap's",
  async () => {
    await withMiniRoot(async (root) => {
      const r = shellQuote(root);
      const steps =
        "--tmpfs /opt --dir /opt/a/b --symlink a/b:/opt/link --symlink /etc/marker:/mnt/abs --symlink gone:/srv/l --tmpfs /srv";
      const bwrapSteps =
        "--tmpfs /opt --dir /opt/a/b --symlink a/b /opt/link --symlink /etc/marker /mnt/abs --symlink gone /srv/l --tmpfs /srv";
      const show =
        `/bin/find /opt /mnt/abs /srv -printf "%p %y %m %l\\n"; /bin/cat /mnt/abs`;
      const outcome = expectCode(
        await inScratchNamespace(`
        echo "=== mntns"
        mntns run --rootfs ${r} ${steps} -- /bin/sh -c '${show}'
        echo "=== again"
        mntns run --rootfs ${r} --symlink /etc/marker:/mnt/abs -- /bin/readlink /mnt/abs
        mntns run --rootfs ${r} --symlink other:/mnt/abs -- /bin/true 2>&1 || echo "exit $?"
        if [ -n ${shellQuote(BWRAP)} ]; then
          echo "=== bwrap"
          rm ${r}/mnt/abs ${r}/srv/l
          bwrap --bind ${r} / ${bwrapSteps} /bin/sh -c '${show}'
        fi`),
        0,
      );
      const out = sections(outcome.stdout);
      assert.equal(
        out.mntns,
        [
          "/opt d 755 ",
          "/opt/link l 777 a/b",
          "/opt/a d 755 ",
          "/opt/a/b d 755 ",
          "/mnt/abs l 777 /etc/marker",
          "/srv d 755 ",
          "mini root",
          "",
        ].join("\n"),
      );
      // the link made outside any mount stays in the root's own /mnt
      assert.equal(Deno.readLinkSync(`${root}/mnt/abs`), "/etc/marker");
      assert.match(out.again, /^\/etc\/marker$/m);
      assert.match(
        out.again,
        /^mntns: --symlink other:\/mnt\/abs: \/mnt\/abs exists in the new root \(a link to \/etc\/marker\) — remove it there or choose another path\nexit 1$/m,
      );
      if (requireBwrap()) assert.equal(out.mntns, out.bwrap);
    });
  },
);
