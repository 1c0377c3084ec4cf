/**
 * Read-only that holds: `--ro-bind` and `--rootfs DIR --read-only` make the
 * mount and every mount below it read-only, each keeping its own per-mount
 * flags, as bubblewrap does; requested mounts under a read-only root keep
 * their own mode.
 */
import assert from "node:assert/strict";
import { parseMountinfo } from "../lib/mount/mount_table.ts";
import { MNTNS_SHELL_WORDS } from "./under_test.ts";
import { expectCode, run, shellQuote } from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { makeMiniRoot } from "../scripts/mini_root.ts";
import { reachableMounts } from "../lib/mount/lookup.ts";

Deno.test("reachableMounts leaves out what is stacked on or covered", () => {
  const mounts = parseMountinfo(
    [
      "1 0 0:1 / / rw - ext4 root rw",
      "2 1 0:2 / /x rw - tmpfs x rw",
      "3 2 0:3 / /x/y rw - tmpfs x-y rw",
      // mounted before /x, on the same parent: /x covers it, and its child
      "4 1 0:4 / /x/y/z rw - tmpfs covered rw",
      "5 4 0:5 / /x/y/z/w rw - tmpfs below-covered rw",
      // stacked: 7 sits on 6, so 6 and its child are out of reach
      "6 1 0:6 / /s rw - tmpfs under rw",
      "7 6 0:7 / /s rw - tmpfs top rw",
      "8 6 0:8 / /s/t rw - tmpfs below-under rw",
      "9 7 0:9 / /s/u rw - tmpfs below-top rw",
      "10 1 0:10 / /a\\040b rw - tmpfs space rw",
      "11 1 0:11 / /a rw - tmpfs not-a-cover rw",
    ].join("\n"),
  );
  assert.deepEqual(
    reachableMounts(mounts).map((mount) => mount.source),
    ["root", "x", "x-y", "top", "below-top", "space", "not-a-cover"],
  );
});

Deno.test("reachableMounts ends on a parent cycle", () => {
  const mounts = parseMountinfo(
    "20 21 0:1 / /c rw - tmpfs a rw\n21 20 0:2 / /c/d rw - tmpfs b rw\n",
  );
  assert.deepEqual(reachableMounts(mounts).map((mount) => mount.id), [20, 21]);
});

/** The per-mount options of every mount under `dir`, by path below it. */
function optionsBelow(mountinfo: string, dir: string): Map<string, string> {
  return new Map(
    parseMountinfo(mountinfo).filter((mount) =>
      mount.target === dir || mount.target.startsWith(`${dir}/`)
    ).map((mount) => [mount.target.slice(dir.length) || "/", mount.options]),
  );
}

/**
 * A mount's options as a read-only bind of it must show them: `ro`, and
 * nosuid and nodev added, as bubblewrap adds them, the rest kept.
 */
function readOnlyBind(options: string): string {
  const [, ...rest] = options.split(",");
  const kept = rest.filter((option) =>
    option !== "nosuid" && option !== "nodev"
  );
  return ["ro", "nosuid", "nodev", ...kept].join(",");
}

/** Source options as a read-only copy must show them. */
function readOnlyOf(options: Map<string, string>): Map<string, string> {
  return new Map(
    [...options].map(([path, value]) => [path, readOnlyBind(value)]),
  );
}

/** Sections of a script's output separated by `=== NAME` lines. */
function sections(stdout: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of stdout.split(/^=== /m).slice(1)) {
    const newline = part.indexOf("\n");
    parts[part.slice(0, newline)] = part.slice(newline + 1);
  }
  return parts;
}

const BWRAP = (await run(["sh", "-c", "command -v bwrap || true"])).stdout
  .trim();

rootTest(
  "--ro-bind of a nosuid,nodev,noexec tmpfs with a submount: both ro, flags kept, EROFS below; as bwrap",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`
      mkdir "$T/src" "$T/dst" "$T/bw"
      mount -t tmpfs -o nosuid,nodev,noexec src "$T/src"
      mkdir "$T/src/sub"
      mount -t tmpfs -o nosuid,nodev,noexec,noatime sub "$T/src/sub"
      echo "=== source"; cat /proc/self/mountinfo
      echo "=== mntns"
      mntns run --ro-bind "$T/src:$T/dst" -- sh -c '
        cat /proc/self/mountinfo; echo "=== write"
        touch "$0/dst/sub/file" 2>&1 || echo "touch-sub $?"
        touch "$0/dst/file" 2>&1 || echo "touch-top $?"' "$T"
      if [ -n ${shellQuote(BWRAP)} ]; then
        echo "=== bwrap"
        bwrap --bind / / --proc /proc --ro-bind "$T/src" "$T/bw" cat /proc/self/mountinfo
      fi
      echo "=== T"; echo "$T"`),
      0,
    );
    const out = sections(outcome.stdout);
    const t = out.T.trim();
    const source = optionsBelow(out.source, `${t}/src`);
    assert.deepEqual(
      source,
      new Map([
        ["/", "rw,nosuid,nodev,noexec,relatime"],
        ["/sub", "rw,nosuid,nodev,noexec,noatime"],
      ]),
    );
    const inside = optionsBelow(out.mntns, `${t}/dst`);
    assert.deepEqual(inside, readOnlyOf(source));
    assert.match(
      out.write,
      /^touch: .*dst\/sub\/file.*Read-only file system$/m,
    );
    assert.match(out.write, /^touch-sub 1$/m);
    assert.match(out.write, /^touch-top 1$/m);
    if (BWRAP !== "") {
      assert.deepEqual(inside, optionsBelow(out.bwrap, `${t}/bw`));
    }
  },
);

rootTest(
  "--ro-bind keeps every per-mount option and atime mode, the same as the source",
  async () => {
    // Each source as mount(8) leaves it, and its per-mount options field.
    const variants: [string, string][] = [
      ["nosuid,nodev,noexec", "rw,nosuid,nodev,noexec,relatime"],
      ["noatime", "rw,noatime"],
      ["strictatime", "rw"],
      ["strictatime,nodiratime", "rw,nodiratime"],
      ["relatime,nodiratime", "rw,nodiratime,relatime"],
      ["nosymfollow,noexec", "rw,noexec,relatime,nosymfollow"],
      ["noatime,nodiratime,nosuid", "rw,nosuid,noatime,nodiratime"],
      ["ro,nodev", "ro,nodev,relatime"],
    ];
    // The top is made with its options after the submount's directory.
    const setup = variants.map(([options], index) =>
      `mkdir "$T/s${index}" "$T/d${index}"
      mount -t tmpfs s${index} "$T/s${index}"
      mkdir "$T/s${index}/sub"
      mount -t tmpfs -o ${options} sub${index} "$T/s${index}/sub"
      mount -o remount,${options} "$T/s${index}"`
    ).join("\n");
    const binds = variants.map((_, index) =>
      `--ro-bind "$T/s${index}:$T/d${index}"`
    ).join(" ");
    const outcome = expectCode(
      await inScratchNamespace(`${setup}
      echo "=== source"; cat /proc/self/mountinfo
      echo "=== mntns"; mntns run ${binds} -- cat /proc/self/mountinfo
      echo "=== T"; echo "$T"`),
      0,
    );
    const out = sections(outcome.stdout);
    const t = out.T.trim();
    variants.forEach(([options, shown], index) => {
      const source = optionsBelow(out.source, `${t}/s${index}`);
      assert.deepEqual(source, new Map([["/", shown], ["/sub", shown]]));
      assert.deepEqual(
        optionsBelow(out.mntns, `${t}/d${index}`),
        readOnlyOf(source),
        options,
      );
    });
  },
);

rootTest(
  "--ro-bind where the source's flags are locked (a user namespace): repeated, so allowed",
  async () => {
    // Mounts a user namespace inherits have their flags locked: a bind
    // remount that does not repeat nosuid, nodev, noexec fails with EPERM.
    const outcome = expectCode(
      await inScratchNamespace(`
      mkdir "$T/src" "$T/dst"
      mount -t tmpfs -o nosuid,nodev,noexec src "$T/src"
      mkdir "$T/src/sub"
      mount -t tmpfs -o nosuid,nodev sub "$T/src/sub"
      echo "=== source"; cat /proc/self/mountinfo
      echo "=== inside"
      unshare -Ur -m --propagation private ${MNTNS_SHELL_WORDS} run --no-net --no-pid \
        --ro-bind "$T/src:$T/dst" -- sh -c 'cat /proc/self/mountinfo; echo "=== write"
          touch "$0/dst/sub/file" 2>/dev/null || echo "touch-sub $?"' "$T"
      echo "=== T"; echo "$T"`),
      0,
    );
    const out = sections(outcome.stdout);
    const t = out.T.trim();
    const source = optionsBelow(out.source, `${t}/src`);
    assert.equal(source.size, 2);
    assert.deepEqual(optionsBelow(out.inside, `${t}/dst`), readOnlyOf(source));
    assert.match(out.write, /^touch-sub 1$/m);
  },
);

rootTest(
  "--rootfs DIR --read-only: the root and its submounts ro with flags kept; --bind, --tmpfs and /proc keep their mode",
  async () => {
    const root = Deno.makeTempDirSync({ prefix: "mntns-root-" });
    const data = Deno.makeTempDirSync({ prefix: "mntns-data-" });
    try {
      await makeMiniRoot(root);
      for (const dir of ["mnt/sub", "cover/inner"]) {
        Deno.mkdirSync(`${root}/${dir}`, { recursive: true });
      }
      const r = shellQuote(root);
      const d = shellQuote(data);
      const outcome = expectCode(
        await inScratchNamespace(`
        mount -t tmpfs -o nosuid,nodev,noexec,noatime rootsub ${r}/mnt/sub
        mkdir ${r}/mnt/sub/deeper
        mount -t tmpfs -o nodev deeper ${r}/mnt/sub/deeper
        mount -t tmpfs covered ${r}/cover/inner
        echo "=== source"; cat /proc/self/mountinfo
        echo "=== inside"
        # --unmasked-proc: /proc/sys is writable, as --read-only leaves it.
        mntns run --rootfs ${r} --read-only --unmasked-proc --tmpfs /tmp --bind ${d}:/data \\
          --tmpfs /cover --bind ${d}:/made/here --ro-bind ${d}:/ro -- /bin/sh -c '
          cat /proc/self/mountinfo; echo "=== writes"
          for f in /x /mnt/sub/x /mnt/sub/deeper/x /ro/x /tmp/x /data/x /cover/x /made/here/y /proc/sys/kernel/hostname; do
            if echo mntns >"$f"; then echo "ok $f"; else echo "failed $f"; fi
          done 2>&1'
        if [ -n ${shellQuote(BWRAP)} ]; then
          echo "=== bwrap"
          bwrap --ro-bind ${r} / --proc /proc /bin/cat /proc/self/mountinfo
        fi`),
        0,
      );
      const out = sections(outcome.stdout);
      const host = parseMountinfo(out.source);
      const source = optionsBelow(out.source, root);
      const inside = optionsBelow(out.inside, "");
      const rootOptions = host.findLast((mount) =>
        mount.target === root || root.startsWith(`${mount.target}/`) ||
        mount.target === "/"
      )!.options;
      const fresh = (path: string): string | undefined =>
        inside.get(path);
      assert.equal(fresh("/"), readOnlyBind(rootOptions));
      assert.equal(fresh("/mnt/sub"), readOnlyOf(source).get("/mnt/sub"));
      assert.equal(
        fresh("/mnt/sub/deeper"),
        readOnlyOf(source).get("/mnt/sub/deeper"),
      );
      assert.equal(fresh("/mnt/sub"), "ro,nosuid,nodev,noexec,noatime");
      if (BWRAP !== "") {
        // bwrap adds nosuid and nodev everywhere; this one has them already.
        assert.equal(
          optionsBelow(out.bwrap, "").get("/mnt/sub"),
          fresh("/mnt/sub"),
        );
      }
      assert.match(fresh("/tmp")!, /^rw,nosuid,nodev\b/);
      assert.match(fresh("/cover")!, /^rw,/);
      assert.match(fresh("/data")!, /^rw\b/);
      assert.match(fresh("/made/here")!, /^rw\b/);
      assert.match(fresh("/ro")!, /^ro\b/);
      assert.equal(fresh("/proc"), "rw,nosuid,nodev,noexec,relatime");
      const writes = out.writes;
      for (const path of ["/x", "/mnt/sub/x", "/mnt/sub/deeper/x", "/ro/x"]) {
        assert.match(writes, new RegExp(`^failed ${path}$`, "m"));
      }
      assert.match(writes, /Read-only file system/);
      for (const path of ["/tmp/x", "/data/x", "/cover/x", "/made/here/y"]) {
        assert.match(writes, new RegExp(`^ok ${path}$`, "m"));
      }
      assert.match(writes, /^ok \/proc\/sys\/kernel\/hostname$/m);
      assert.equal(Deno.readTextFileSync(`${data}/x`), "mntns\n");
      assert.equal(Deno.readTextFileSync(`${data}/y`), "mntns\n");
    } finally {
      Deno.removeSync(root, { recursive: true });
      Deno.removeSync(data, { recursive: true });
    }
  },
);

rootTest(
  "--rootfs without a proc directory: it is made, as a bind target is",
  async () => {
    const root = Deno.makeTempDirSync({ prefix: "mntns-root-" });
    try {
      await makeMiniRoot(root);
      Deno.removeSync(`${root}/proc`);
      const outcome = expectCode(
        await inScratchNamespace(
          `mntns run --rootfs ${
            shellQuote(root)
          } --read-only -- /bin/sh -c 'ls /proc/self/fd >/dev/null && echo ran'`,
        ),
        0,
      );
      assert.equal(outcome.stdout, "ran\n");
      assert.equal(Deno.statSync(`${root}/proc`).isDirectory, true);
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
);
