/**
 * Privilege dropped for real: `--user`, `--cap-drop`/`--cap-add`,
 * no_new_privs, `--new-session`, the environment options and
 * `--[no-]die-with-parent`, with and without `--init`, compared with
 * bubblewrap doing the same where it has the option.
 */
import assert from "node:assert/strict";
import { MNTNS_SHELL_WORDS } from "./under_test.ts";
import {
  bash,
  expectCode,
  leftovers,
  mntns,
  run,
  shellQuote,
} from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { makeMiniRoot } from "../scripts/mini_root.ts";
import { BWRAP, requireBwrap } from "./bwrap.ts";

/** The capability and no_new_privs lines of /proc/self/status. */
const STATUS = ["grep", "-E", "^(Cap|NoNewPrivs)", "/proc/self/status"];

/** The lines of `grep Cap` as a map: CapEff → 0000000000000400. */
function statusLines(text: string): Map<string, string> {
  return new Map(
    text.trim().split("\n").map((line) =>
      line.split(/:\s+/) as [string, string]
    ),
  );
}

/** mount(2) of a tmpfs on /mnt, by system call number; prints errno's text. */
const MOUNT_SYSCALL = `perl -e '
  my %nr = (x86_64 => 165, aarch64 => 40);
  my ($s, $t, $f) = ("none", "/mnt", "tmpfs");
  my $r = syscall($nr{(split " ", \`uname -m\`)[0]}, $s, $t, $f, 0, 0);
  print $r == 0 ? "mounted\\n" : "mount: $!\\n"'`;

rootTest(
  "--user 65534:65534 --cap-drop ALL: id, no capabilities at all, no_new_privs, mount EPERM, root's files refused; as bwrap",
  async () => {
    // A file root owns, in a directory every user may enter.
    const dir = Deno.makeTempDirSync({ prefix: "mntns-owned-" });
    Deno.chmodSync(dir, 0o755);
    const owned = `${dir}/owned`;
    Deno.writeTextFileSync(owned, "root's\n", { mode: 0o644 });
    for (const init of [[], ["--init"]]) {
      const outcome = expectCode(
        await mntns([
          "run",
          ...init,
          "--user",
          "65534:65534",
          "--cap-drop",
          "ALL",
          "--",
          "sh",
          "-c",
          `id -u; id -g; id -G; ${
            STATUS.map(shellQuote).join(" ")
          }; ${MOUNT_SYSCALL}
          echo x >> ${shellQuote(owned)} 2>/dev/null || echo "write refused"`,
        ]),
        0,
      );
      const [uid, gid, groups, ...rest] = outcome.stdout.split("\n");
      assert.deepEqual(
        [uid, gid, groups],
        ["65534", "65534", "65534"],
        `${init}`,
      );
      const status = statusLines(rest.slice(0, 6).join("\n"));
      for (const set of ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"]) {
        assert.equal(status.get(set), "0000000000000000", `${set} ${init}`);
      }
      assert.equal(status.get("NoNewPrivs"), "1");
      assert.match(outcome.stdout, /^mount: Operation not permitted$/m);
      assert.match(outcome.stdout, /^write refused$/m);
    }
    assert.equal(Deno.readTextFileSync(owned), "root's\n");
    Deno.removeSync(dir, { recursive: true });
    if (requireBwrap()) {
      const ours = await mntns([
        "run",
        "--user",
        "65534:65534",
        "--cap-drop",
        "ALL",
        "--",
        ...STATUS,
      ]);
      const theirs = await run([
        "bwrap",
        "--bind",
        "/",
        "/",
        "--unshare-user",
        "--uid",
        "65534",
        "--gid",
        "65534",
        "--cap-drop",
        "ALL",
        ...STATUS,
      ]);
      assert.equal(expectCode(ours, 0).stdout, expectCode(theirs, 0).stdout);
    }
  },
);

rootTest(
  "--cap-add keeps only that one (in every set, ambient included), for another user and for root; as bwrap",
  async () => {
    const only = "0000000000000400"; // CAP_NET_BIND_SERVICE
    const cases: [string[], string[]][] = [
      [
        ["--user", "65534:65534"],
        ["--unshare-user", "--uid", "65534", "--gid", "65534"],
      ],
      [[], []],
    ];
    for (const [ours, theirs] of cases) {
      const caps = ["--cap-drop", "ALL", "--cap-add", "CAP_NET_BIND_SERVICE"];
      const status = statusLines(
        expectCode(await mntns(["run", ...ours, ...caps, "--", ...STATUS]), 0)
          .stdout,
      );
      for (const set of ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"]) {
        assert.equal(status.get(set), only, `${set} ${ours}`);
      }
      assert.equal(status.get("NoNewPrivs"), "1");
      if (requireBwrap()) {
        const bwrap = statusLines(
          expectCode(
            await run([
              "bwrap",
              "--bind",
              "/",
              "/",
              ...theirs,
              ...caps,
              ...STATUS,
            ]),
            0,
          ).stdout,
        );
        if (ours.length === 0) {
          // bwrap run by root without a user namespace keeps the bounding
          // set whole; mntns cuts it to what is kept, as the issue asks.
          bwrap.delete("CapBnd");
          status.delete("CapBnd");
        }
        assert.deepEqual(status, bwrap, `${ours}`);
      }
    }
    // A root command that drops one capability keeps the rest.
    const noAdmin = statusLines(
      expectCode(
        await mntns(["run", "--cap-drop", "sys_admin", "--", ...STATUS]),
        0,
      ).stdout,
    );
    const held = BigInt(
      `0x${
        statusLines(
          Deno.readTextFileSync("/proc/self/status").split("\n")
            .filter((line) => line.startsWith("CapPrm")).join("\n"),
        ).get("CapPrm")
      }`,
    );
    const expected = (held & ~(1n << 21n)).toString(16).padStart(16, "0");
    for (const set of ["CapPrm", "CapEff", "CapBnd"]) {
      assert.equal(noAdmin.get(set), expected, set);
    }
  },
);

rootTest(
  "--user alone: like bwrap's --uid/--gid, no capabilities but a whole bounding set; --new-privs leaves no_new_privs off",
  async () => {
    const ours = expectCode(
      await mntns(["run", "--user", "65534:65534", "--", ...STATUS]),
      0,
    ).stdout;
    assert.match(ours, /^CapEff:\t0000000000000000$/m);
    assert.match(ours, /^NoNewPrivs:\t1$/m);
    if (requireBwrap()) {
      const theirs = expectCode(
        await run([
          "bwrap",
          "--bind",
          "/",
          "/",
          "--unshare-user",
          "--uid",
          "65534",
          "--gid",
          "65534",
          ...STATUS,
        ]),
        0,
      ).stdout;
      assert.equal(ours, theirs);
    }
    const allowed = expectCode(
      await mntns([
        "run",
        "--user",
        "65534:65534",
        "--new-privs",
        "--",
        ...STATUS,
      ]),
      0,
    ).stdout;
    assert.match(allowed, /^NoNewPrivs:\t0$/m);
    const untouched = expectCode(await mntns(["run", "--", ...STATUS]), 0)
      .stdout;
    assert.match(untouched, /^NoNewPrivs:\t0$/m);
    assert.equal(
      statusLines(untouched).get("CapEff"),
      statusLines(
        Deno.readTextFileSync("/proc/self/status").split("\n").filter((line) =>
          line.startsWith("CapEff")
        ).join("\n"),
      ).get("CapEff"),
    );
  },
);

rootTest(
  "--user NAME is looked up in the new root's /etc/passwd and /etc/group; an unknown name is one line",
  async () => {
    const root = Deno.makeTempDirSync({ prefix: "mntns-root-" });
    try {
      await makeMiniRoot(root, ["id"]);
      Deno.chmodSync(root, 0o755);
      Deno.writeTextFileSync(
        `${root}/etc/passwd`,
        "root:x:0:0::/:/bin/sh\nalice:x:1000:1000::/:/bin/sh\n",
      );
      Deno.writeTextFileSync(
        `${root}/etc/group`,
        "root:x:0:\nalice:x:1000:\naudio:x:29:pulse,alice\nstaff:x:50:\n",
      );
      const r = shellQuote(root);
      const outcome = expectCode(
        await inScratchNamespace(`
        mntns run --rootfs ${r} --user alice -- /bin/id
        mntns run --rootfs ${r} --init --user alice:staff -- /bin/id
        mntns run --rootfs ${r} --user 1000 -- /bin/id
        mntns run --rootfs ${r} --user bob -- /bin/id 2>&1 || echo "exit $?"
        mntns run --user alice -- id 2>&1 | sed "s/^mntns: .*no user 'alice'.*/not on the host/"`),
        0,
      );
      assert.equal(
        outcome.stdout,
        [
          "uid=1000(alice) gid=1000(alice) groups=1000(alice),29(audio)",
          "uid=1000(alice) gid=50(staff) groups=50(staff)",
          "uid=1000(alice) gid=1000(alice) groups=1000(alice),29(audio)",
          "mntns: --user bob: no user 'bob' in /etc/passwd of the new root — give a number (--user UID[:GID]) or add the user there",
          "exit 1",
          ...(Deno.readTextFileSync("/etc/passwd").includes("\nalice:")
            ? []
            : ["not on the host"]),
          "",
        ].join("\n"),
      );
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
);

rootTest(
  "--new-session: the command leads its own session, as bwrap --new-session",
  async () => {
    const script =
      `set -- $(cat /proc/$$/stat); echo "pid $1 sid $6"; tty >/dev/null && echo tty || echo "no tty"`;
    const outcome = expectCode(
      await bash(`
      echo "=== plain"; ${MNTNS_SHELL_WORDS} run -- sh -c '${script}'
      echo "=== new"; ${MNTNS_SHELL_WORDS} run --new-session -- sh -c '${script}'
      echo "=== init"; ${MNTNS_SHELL_WORDS} run --init --new-session -- sh -c '${script}'
      if [ -n ${shellQuote(BWRAP)} ]; then
        echo "=== bwrap"; bwrap --bind / / --new-session sh -c '${script}'
      fi`),
      0,
    );
    const parts = Object.fromEntries(
      outcome.stdout.split(/^=== /m).slice(1).map((part) => {
        const [name, ...lines] = part.split("\n");
        return [name, lines.join("\n")];
      }),
    );
    // A session led from outside the PID namespace shows as 0.
    assert.match(parts.plain, /^pid 1 sid 0$/m);
    assert.match(parts.new, /^pid 1 sid 1$/m);
    const init = /^pid (\d+) sid (\d+)$/m.exec(parts.init);
    assert.ok(init !== null && init[1] === init[2], parts.init);
    if (requireBwrap()) {
      const theirs = /^pid (\d+) sid (\d+)$/m.exec(parts.bwrap);
      assert.ok(theirs !== null && theirs[1] === theirs[2], parts.bwrap);
    }
  },
);

rootTest(
  "--clearenv, --unsetenv and --env: the environment bwrap's --clearenv, --unsetenv and --setenv give",
  async () => {
    const caller = { A: "1", B: "2", PATH: "/usr/bin:/bin" };
    const ours = async (args: string[]): Promise<string[]> =>
      expectCode(
        await mntns(["run", ...args, "--", "env"], {
          clearEnv: true,
          env: caller,
        }),
        0,
      ).stdout.trim().split("\n").sort();
    const theirs = async (args: string[]): Promise<string[]> =>
      expectCode(
        await run(["bwrap", "--bind", "/", "/", ...args, "env"], {
          clearEnv: true,
          env: caller,
        }),
        0,
      ).stdout.trim().split("\n").filter((line) => !line.startsWith("PWD="))
        .sort();
    const cases: [string[], string[], string[]][] = [
      [["--unsetenv", "A"], ["--unsetenv", "A"], [
        "B=2",
        "PATH=/usr/bin:/bin",
      ]],
      [["--clearenv", "--env", "C=3"], ["--clearenv", "--setenv", "C", "3"], [
        "C=3",
      ]],
      [["--env", "A=9", "--unsetenv", "B"], [
        "--setenv",
        "A",
        "9",
        "--unsetenv",
        "B",
      ], ["A=9", "PATH=/usr/bin:/bin"]],
    ];
    for (const [mine, bwrap, expected] of cases) {
      // env is found in /bin:/usr/bin when PATH is gone
      assert.deepEqual(await ours(mine), expected, mine.join(" "));
      if (requireBwrap()) {
        assert.deepEqual(await theirs(bwrap), expected, bwrap.join(" "));
      }
    }
  },
);

rootTest(
  "--die-with-parent holds after --user; --no-die-with-parent lets the run outlive mntns",
  async () => {
    for (const init of ["", "--init"]) {
      expectCode(
        await bash(`
        ${MNTNS_SHELL_WORDS} run ${init} --user 65534:65534 -- sleep 117 & p=$!
        until pgrep -fx 'sleep 117' >/dev/null; do sleep 0.02; done
        kill -KILL $p; wait $p || true; sleep 0.3`),
        0,
      );
      assert.equal(await leftovers("^sleep 117$"), "", `die ${init}`);
      const outcome = expectCode(
        await bash(`
        ${MNTNS_SHELL_WORDS} run ${init} --no-die-with-parent -- sleep 118 & p=$!
        until pgrep -fx 'sleep 118' >/dev/null; do sleep 0.02; done
        kill -KILL $p; wait $p || true; sleep 0.3
        if q=$(pgrep -fx 'sleep 118'); then echo "$q"; kill -KILL $q; fi; sleep 0.3`),
        0,
      );
      assert.match(outcome.stdout, /^\d+$/m, `outlives ${init}`);
      assert.equal(await leftovers("^sleep 118$"), "");
    }
  },
);
