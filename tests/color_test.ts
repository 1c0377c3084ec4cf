/**
 * Colour on a terminal, none elsewhere: escape codes on a pty (under
 * `script`), none in a pipe, none with NO_COLOR=1 or TERM=dumb, always with
 * --color=always; a colour per peer group (PEER, MASTER and the summary
 * agree), warnings yellow, errors red.
 */
import assert from "node:assert/strict";
import { MNTNS_SHELL_WORDS } from "./under_test.ts";
import { expectCode, mntns, run, shellQuote } from "./processes.ts";

/** Two peer groups, 7 and 9; 9's first member is a slave of 7. */
const MOUNTINFO = [
  "1 0 0:1 / / rw - ext4 /dev/a rw",
  "2 1 0:2 / /x rw shared:7 - tmpfs b rw",
  "3 1 0:2 / /z rw shared:7 - tmpfs b rw",
  "4 1 0:3 / /y rw shared:9 master:7 - tmpfs c rw",
  "5 1 0:3 / /w rw shared:9 - tmpfs c rw",
  "",
].join("\n");

/** A mountinfo whose two mounts are each other's parents: a warning. */
const CYCLE = "1 2 0:1 / / rw - ext4 /dev/a rw\n2 1 0:2 / /x rw - tmpfs b rw\n";

const ESC = "\x1b[";

function savedFile(text: string): string {
  const path = Deno.makeTempFileSync({ prefix: "mntns-color-" });
  Deno.writeTextFileSync(path, text);
  return path;
}

/** Runs mntns on a pty (util-linux `script`); stdout and stderr, together. */
async function onTerminal(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<string> {
  const command = `${MNTNS_SHELL_WORDS} ${args.map(shellQuote).join(" ")}`;
  const outcome = await run(["script", "-qec", command, "/dev/null"], {
    env: { TERM: "xterm", ...env },
  });
  return outcome.stdout.replaceAll("\r\n", "\n").replace(
    DENO_CACHE_NOTICES,
    "",
  );
}

/**
 * What the Deno runtime itself says on stderr, before mntns runs, when its
 * shared cache database under DENO_DIR cannot be opened (it then works from
 * memory): on a terminal it comes before mntns's own output.
 */
const DENO_CACHE_NOTICES =
  /^(?:Could not initialize cache database|Failed to open cache file) '[^'\n]*'.*\n/gm;

Deno.test("show: colour on a terminal, none in a pipe, none with NO_COLOR=1 or TERM=dumb", async () => {
  const file = savedFile(MOUNTINFO);
  try {
    const args = ["propagation", "show", "--mountinfo", file];
    assert.ok((await onTerminal(args)).includes(ESC));
    const piped = expectCode(await mntns(args, { env: { TERM: "xterm" } }), 0);
    assert.ok(!piped.stdout.includes(ESC), piped.stdout);
    assert.ok(!(await onTerminal(args, { NO_COLOR: "1" })).includes(ESC));
    assert.ok(!(await onTerminal(args, { TERM: "dumb" })).includes(ESC));
    assert.ok((await onTerminal(args, { NO_COLOR: "" })).includes(ESC));
    assert.ok(
      !(await onTerminal([...args, "--color=never"])).includes(ESC),
    );
    assert.ok(
      !(await onTerminal([...args, "-r"], { NO_COLOR: "1" })).includes(ESC),
    );
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("show --color=always colours in a pipe too, even with NO_COLOR; bare --color is auto", async () => {
  const file = savedFile(MOUNTINFO);
  try {
    const args = ["propagation", "show", "--mountinfo", file];
    const always = expectCode(
      await mntns([...args, "--color=always"], { env: { NO_COLOR: "1" } }),
      0,
    );
    assert.ok(always.stdout.includes(ESC));
    const bare = expectCode(await mntns([...args, "--color"]), 0);
    assert.ok(!bare.stdout.includes(ESC));
    const wrong = expectCode(await mntns([...args, "--color=sometimes"]), 2);
    assert.match(
      wrong.stderr,
      /^mntns: --color takes auto, always, never, not 'sometimes'\n/,
    );
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("each peer group its own colour, the same in PEER, MASTER and the summary", async () => {
  const file = savedFile(MOUNTINFO);
  try {
    const { stdout } = expectCode(
      await mntns([
        "propagation",
        "show",
        "--mountinfo",
        file,
        "--list",
        "--color=always",
      ]),
      0,
    );
    const colorOf = (group: number, text: string): string => {
      const found = new RegExp(`\\x1b\\[(\\d+)m${group}\\x1b\\[0m`).exec(text);
      assert.ok(found, `group ${group} is not coloured in: ${text}`);
      return found[1];
    };
    const lines = stdout.split("\n");
    const y = lines.find((line) => line.startsWith("/y"))!;
    const summary7 = lines.find((line) => line.startsWith("peer group "))!;
    assert.notEqual(colorOf(7, stdout), colorOf(9, stdout));
    // /y: PEER 9, MASTER 7.
    assert.equal(colorOf(9, y), colorOf(9, stdout));
    assert.equal(colorOf(7, y), colorOf(7, stdout));
    assert.equal(colorOf(7, summary7), colorOf(7, stdout));
    for (const code of [colorOf(7, stdout), colorOf(9, stdout)]) {
      assert.ok(
        code !== "31" && code !== "33",
        "red and yellow mean errors and warnings",
      );
    }
    // Colour does not move the columns: without the codes, the plain text.
    const plain = expectCode(
      await mntns(["propagation", "show", "--mountinfo", file, "--list"]),
      0,
    );
    // deno-lint-ignore no-control-regex -- the codes are what is removed
    assert.equal(stdout.replace(/\x1b\[\d+m/g, ""), plain.stdout);
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("warnings are yellow and errors red on a terminal, plain in a pipe", async () => {
  const file = savedFile(CYCLE);
  try {
    const warned = await onTerminal([
      "propagation",
      "show",
      "--mountinfo",
      file,
    ]);
    assert.ok(
      warned.includes(`${ESC}33mmntns: warning: 1 mount put at the top level`),
      warned,
    );
    const failed = await onTerminal([
      "propagation",
      "show",
      "--mountinfo",
      `${file}.missing`,
    ]);
    assert.ok(failed.startsWith(`${ESC}31mmntns: `), failed);
    assert.ok(
      failed.endsWith(`missing: no such file${ESC}0m\n`),
      failed,
    );
    const usage = await onTerminal(["propagation", "show", "--bogus"]);
    assert.equal(
      usage,
      "\x1b[31mmntns: unrecognized option '--bogus'\x1b[0m\nTry 'mntns propagation show --help' for more information.\n",
    );
    const piped = expectCode(
      await mntns(["propagation", "show", "--mountinfo", `${file}.missing`]),
      1,
    );
    assert.ok(!piped.stderr.includes(ESC), piped.stderr);
  } finally {
    Deno.removeSync(file);
  }
});
