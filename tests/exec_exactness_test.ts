/**
 * Issue 12, the exec side, as root, for real: the command gets the caller's
 * bytes, environment and ignored signals exactly, as with util-linux
 * `unshare`.
 */
import assert from "node:assert/strict";
import { MNTNS_SHELL_WORDS } from "./under_test.ts";
import { bash, expectCode, mntns } from "./processes.ts";
import { rootTest } from "./namespaces.ts";

/** Signals Deno (13) and glibc's posix_spawn (32, 33) ignore on their own. */
const ADDED_BY_RUNTIMES = (1n << 12n) | (1n << 31n) | (1n << 32n);

const LAUNCHERS: Record<string, string> = {
  unshare: "unshare -fpm --mount-proc",
  isolate: `${MNTNS_SHELL_WORDS} isolate`,
  run: `${MNTNS_SHELL_WORDS} run`,
  "run --init": `${MNTNS_SHELL_WORDS} run --init`,
};

rootTest(
  "argv, environment and --wd with bytes that are not UTF-8 are passed exactly, as unshare does",
  async () => {
    const report =
      `{ cat /proc/$$/cmdline; printf "|"; cat /proc/$$/environ; printf "|"; pwd; } | od -An -tx1 | tr -d " \\n"; echo`;
    const outcome = expectCode(
      await bash(`
      d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
      wd="$d/wd"$'\\xff'; mkdir "$wd"
      x=$'a\\xffb'
      echo "unshare $(env -i X="$x" PATH=/usr/bin:/bin unshare -m --wd "$wd" sh -c '${report}' "$x" "$x")"
      echo "isolate $(env -i X="$x" PATH=/usr/bin:/bin ${MNTNS_SHELL_WORDS} isolate --wd "$wd" -- sh -c '${report}' "$x" "$x")"
      echo "run $(env -i X="$x" PATH=/usr/bin:/bin ${MNTNS_SHELL_WORDS} run --wd "$wd" -- sh -c '${report}' "$x" "$x")"
      echo "run-init $(env -i X="$x" PATH=/usr/bin:/bin ${MNTNS_SHELL_WORDS} run --init --wd "$wd" -- sh -c '${report}' "$x" "$x")"`),
      0,
    );
    const lines = Object.fromEntries(
      outcome.stdout.trim().split("\n").map((line) => line.split(" ")),
    );
    assert.match(lines.unshare, /61ff62/);
    assert.match(lines.unshare, /7764ff0a$/); // "wd\xff\n"
    assert.equal(lines.isolate, lines.unshare);
    assert.equal(lines.run, lines.unshare);
    assert.equal(lines["run-init"], lines.unshare);
  },
);

rootTest(
  "signals the caller ignored stay ignored, as with unshare; SIGPIPE, 32 and 33 never are",
  async () => {
    const script = Object.entries(LAUNCHERS).map(([name, launcher]) =>
      `echo "${name} $(${launcher} grep SigIgn /proc/self/status)"`
    ).join("\n");
    const outcome = expectCode(
      await bash(`trap '' HUP INT PIPE\n${script}`),
      0,
    );
    const masks = Object.fromEntries(
      outcome.stdout.trim().split("\n").map((line) => {
        const [name, hex] = line.split(/ SigIgn:\s*/);
        return [name, BigInt(`0x${hex}`)];
      }),
    );
    assert.ok(masks.unshare & 3n, "unshare keeps HUP and INT ignored");
    for (const name of ["isolate", "run", "run --init"]) {
      assert.equal(masks[name], masks.unshare & ~ADDED_BY_RUNTIMES, name);
    }
  },
);

rootTest("env -i A=1: the command's environment is exactly A=1", async () => {
  for (const launcher of ["isolate", "run", "run --init"]) {
    const outcome = expectCode(
      await bash(
        `env -i A=1 ${MNTNS_SHELL_WORDS} ${launcher} -- /usr/bin/env`,
      ),
      0,
    );
    assert.equal(outcome.stdout, "A=1\n", launcher);
  }
});

rootTest("nohup: a HUP to mntns run is ignored, as with unshare", async () => {
  const launchers = ["unshare -fpm --mount-proc", `${MNTNS_SHELL_WORDS} run`];
  const outcome = expectCode(
    await bash(
      launchers.map((launcher) => `
      nohup ${launcher} sleep 1.5 > /dev/null 2>&1 & p=$!
      sleep 0.8; kill -HUP $p
      wait $p && echo "status 0" || echo "status $?"`).join("\n"),
    ),
    0,
  );
  assert.equal(outcome.stdout, "status 0\nstatus 0\n");
});

rootTest("isolate -- '': 127 and ENOENT, as execvp", async () => {
  const outcome = expectCode(await mntns(["isolate", "--", ""]), 127);
  assert.equal(
    outcome.stderr,
    "mntns: failed to execute : ENOENT (No such file or directory)\n",
  );
});
