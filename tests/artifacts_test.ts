/**
 * The shipped forms: the single-file bundle (every subcommand's main
 * scenarios run through it, also in a rescue-shell setting) and the compiled
 * binary (which needs a denort base: tested whenever DENORT_BIN names one).
 */
import assert from "node:assert/strict";
import { ROOT_DIR } from "./under_test.ts";
import { expectCode, type Outcome, run, shellQuote } from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";

/** The test files whose scenarios cover every subcommand. */
const SCENARIOS = [
  "tests/cli_test.ts",
  "tests/propagation_test.ts",
  "tests/reach_test.ts",
  "tests/isolate_test.ts",
  "tests/run_test.ts",
  "tests/watch_test.ts",
  "tests/enter_test.ts",
  "tests/ps_test.ts",
  "tests/info_fd_test.ts",
  "tests/kept_namespace_test.ts",
];

async function scenariosThrough(artifact: string): Promise<void> {
  const outcome = await run(
    [Deno.execPath(), "test", "-A", "--no-check", ...SCENARIOS],
    { cwd: ROOT_DIR, env: { MNTNS_UNDER_TEST: artifact, NO_COLOR: "1" } },
  );
  if (outcome.code !== 0) {
    throw new Error(
      `the scenarios failed through ${artifact}:\n${
        outcome.stdout.slice(-6000)
      }\n${outcome.stderr.slice(-2000)}`,
    );
  }
  assert.match(outcome.stdout, /ok \| \d+ passed \| 0 failed/);
}

async function build(
  script: string,
  output: string,
  env: Record<string, string> = {},
): Promise<void> {
  expectCode(
    await run([
      Deno.execPath(),
      "run",
      "-A",
      `${ROOT_DIR}scripts/${script}`,
      output,
    ], { env }),
    0,
  );
}

/** Builds the bundle into a fresh directory, runs `body` with it, removes it. */
async function withBundle(
  prefix: string,
  body: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix });
  try {
    await build("bundle.ts", `${dir}/mntns.js`);
    await body(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

rootTest("every subcommand's scenarios pass through the bundle", async () => {
  await withBundle(
    "mntns-bundle-",
    (dir) => scenariosThrough(`${dir}/mntns.js`),
  );
});

rootTest(
  "the bundle works from a read-only directory with HOME, PATH and /etc empty or missing",
  async () => {
    await withBundle("mntns-rescue-", async (dir) => {
      const deno = shellQuote(Deno.execPath());
      const scenarios = (env: string): string => `
      env -i ${env} ${deno} run -A mntns.js propagation show --list / | head -2
      env -i ${env} ${deno} run -A mntns.js isolate --uts --hostname iso -- /bin/hostname
      env -i ${env} ${deno} run -A mntns.js run --hostname resc -- /bin/sh -c 'echo "$(/bin/hostname) $$"'
      env -i ${env} ${deno} run -A mntns.js run --init -- /bin/sh -c 'echo "init parent $PPID"'`;
      const outcome = expectCode(
        await inScratchNamespace(`
        mount --bind ${shellQuote(dir)} ${
          shellQuote(dir)
        }; mount -o remount,bind,ro ${shellQuote(dir)}
        cd ${shellQuote(dir)}
        echo '=== no HOME, no PATH'; ${scenarios("")}
        echo '=== empty HOME and PATH'; ${scenarios("HOME= PATH=")}
        mount -t tmpfs empty /etc
        echo '=== no /etc'; ${scenarios("HOME=/")}
        echo '=== no /etc, no HOME'; ${scenarios("DENO_DIR=/tmp/deno-dir")}`),
        0,
      );
      const sections = outcome.stdout.split(/^=== .*\n/m).slice(1);
      assert.equal(sections.length, 4);
      for (const section of sections) {
        assert.match(section, /^TARGET +SOURCE +FSTYPE +PROPAGATION/m);
        assert.match(section, /^iso$/m);
        assert.match(section, /^resc 1$/m);
        assert.match(section, /^init parent 1$/m);
      }
    });
  },
);

rootTest(
  "isolate runs leave the bundle's compiled code in Deno's code cache",
  async () => {
    // Deno writes a module's V8 code cache on a turn of its event loop; an
    // isolate run execs before the loop would turn again, so without mntns's
    // own turns no run ever stored it, and every start compiled the whole
    // bundle again. Each run that misses it tries again.
    await withBundle("mntns-cache-", async (dir) => {
      Deno.writeTextFileSync(`${dir}/empty.js`, "");
      const cachedBytes = async (
        words: readonly string[],
        denoDir: string,
      ): Promise<number> => {
        expectCode(
          await run([Deno.execPath(), "run", "-A", ...words], {
            env: { DENO_DIR: denoDir },
          }),
          0,
        );
        return [...Deno.readDirSync(denoDir)]
          .filter((entry) => entry.name.startsWith("v8_code_cache"))
          .reduce(
            (sum, entry) =>
              sum + Deno.statSync(`${denoDir}/${entry.name}`).size,
            0,
          );
      };
      const empty = await cachedBytes([`${dir}/empty.js`], `${dir}/a`);
      const sizes: number[] = [];
      let isolate = 0;
      for (let runs = 0; runs < 3 && isolate <= empty + 10_000; runs++) {
        isolate = await cachedBytes(
          [`${dir}/mntns.js`, "isolate", "--", "true"],
          `${dir}/b`,
        );
        sizes.push(isolate);
      }
      assert.ok(
        isolate > empty + 10_000,
        `code cache: ${
          sizes.join(", ")
        } bytes after each isolate run, ${empty} after an empty script`,
      );
    });
  },
);

/** Runs scripts/compile.ts to `output`; its outcome. */
function compile(
  output: string,
  env?: Record<string, string>,
): Promise<Outcome> {
  return run(
    [Deno.execPath(), "run", "-A", `${ROOT_DIR}scripts/compile.ts`, output],
    { env },
  );
}

Deno.test("compile without a denort base fails with one line that names DENORT_BIN", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "mntns-compile-" });
  try {
    const missing = expectCode(
      await compile(`${dir}/mntns`, { DENORT_BIN: `${dir}/no-such-denort` }),
      1,
    );
    assert.match(
      missing.stderr,
      /^compile: DENORT_BIN=.*: no such file — point it at a denort binary\n$/,
    );
    if (Deno.env.get("DENORT_BIN") === undefined) {
      const offline = expectCode(await compile(`${dir}/mntns`), 1);
      assert.match(
        offline.stderr,
        /^compile: deno compile needs a denort base binary and could not download one \(.*\) — set DENORT_BIN=\/path\/to\/denort\n$/,
      );
    } else {
      expectCode(await compile(`${dir}/mntns`), 0);
      await scenariosThrough(`${dir}/mntns`);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("compile with the full deno binary as its base fails in one line and leaves no binary", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "mntns-compile-" });
  try {
    const outcome = expectCode(
      await compile(`${dir}/mntns`, { DENORT_BIN: Deno.execPath() }),
      1,
    );
    assert.match(
      outcome.stderr,
      /^compile: .*\/mntns --version printed 'deno [^']*', not 'mntns \d+\.\d+\.\d+' — DENORT_BIN=.* is not a denort base binary \(the full deno binary is not one\); removed it\n$/,
    );
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

rootTest(
  "without /proc, every subcommand that needs it says so in one line",
  async () => {
    const outcome = expectCode(
      await inScratchNamespace(`umount -l /proc
      for words in "propagation show" "propagation set private /" "propagation peers" \\
        "propagation reach /" "propagation check" "run true" "run --no-pid true" \\
        "enter 1 true" "ps"; do
        mntns $words 2>&1 && echo "exit 0" || echo "exit $?"
      done
      mntns isolate -- /bin/echo isolate-needs-no-proc`),
      0,
    );
    const lines = outcome.stdout.trim().split("\n");
    const message =
      "/proc is not mounted — mount it with 'mount -t proc proc /proc'";
    for (let index = 0; index < 9; index++) {
      assert.ok(lines[2 * index].endsWith(message), lines[2 * index]);
      assert.equal(lines[2 * index + 1], "exit 1");
    }
    assert.equal(lines[18], "isolate-needs-no-proc");
  },
);
