import assert from "node:assert/strict";
import { parseArgs } from "node:util";
import { ArgumentError, parseArguments } from "./args.ts";
import { splitAtCommand } from "./options.ts";
import {
  fileUrlPath,
  normalizePath,
  relativePath,
  resolvePath,
} from "../mount/paths.ts";

const OPTIONS = {
  pid: { type: "string" },
  json: { type: "boolean" },
  recursive: { type: "boolean", short: "r" },
  help: { type: "boolean", short: "h" },
  bind: { type: "string", multiple: true },
  mode: { type: "string", default: "private" },
} as const;

Deno.test("args: parses as node:util parseArgs does in strict mode", () => {
  const cases = [
    ["--pid", "1", "/x", "--json"],
    ["--pid=2", "-rh", "--", "--json", "-r"],
    ["--bind", "a:b", "--bind=c:d", "--mode", "slave"],
    ["-r", "x", "-h"],
  ];
  for (const args of cases) {
    const ours = parseArguments({
      args,
      options: OPTIONS,
      allowPositionals: true,
    });
    const node = parseArgs({
      args,
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    assert.deepEqual({ ...ours.values }, { ...node.values }, args.join(" "));
    assert.deepEqual(ours.positionals, node.positionals, args.join(" "));
  }
});

Deno.test("args: tokens keep the order of options", () => {
  const { tokens } = parseArguments({
    args: ["--bind", "a:b", "--json", "--bind=c:d"],
    options: OPTIONS,
    allowPositionals: false,
  });
  assert.deepEqual(tokens, [
    { name: "bind", value: "a:b" },
    { name: "json" },
    { name: "bind", value: "c:d" },
  ]);
});

Deno.test("args: words that do not fit are one-line errors", () => {
  const cases: [string[], string][] = [
    [["--bogus"], "unrecognized option '--bogus'"],
    [["-x"], "unrecognized option '-x'"],
    [["--pid"], "option '--pid <value>' argument missing"],
    [["--json=1"], "option '--json' does not take an argument"],
    [["stray"], "unexpected argument 'stray'"],
    [["--", "stray"], "unexpected argument 'stray'"],
  ];
  for (const [args, message] of cases) {
    assert.throws(
      () => parseArguments({ args, options: OPTIONS, allowPositionals: false }),
      (error: unknown) =>
        error instanceof ArgumentError && error.message === message,
      args.join(" "),
    );
  }
});

Deno.test("paths: normalize, resolve, relative, file URLs", () => {
  assert.equal(normalizePath("/a/./b/../c/"), "/a/c");
  assert.equal(normalizePath("/../.."), "/");
  assert.equal(resolvePath("/srv", "root", "../etc"), "/srv/etc");
  assert.equal(resolvePath("/srv", "/etc"), "/etc");
  assert.equal(resolvePath("/w", "x"), "/w/x");
  assert.equal(relativePath("/srv/root", "/srv/root/etc/x"), "etc/x");
  assert.equal(relativePath("/srv/root", "/srv/root"), "");
  assert.equal(relativePath("/srv/root", "/etc"), "../../etc");
  assert.equal(
    fileUrlPath("file:///srv/my%20tool/main.ts"),
    "/srv/my tool/main.ts",
  );
});

Deno.test("args: long aliases store under the option's name; optional values only after =", () => {
  const options = {
    pid: { type: "string", short: "N", aliases: ["task"] },
    color: { type: "string", implied: "auto" },
    json: { type: "boolean" },
  } as const;
  const parse = (args: string[]) =>
    parseArguments({ args, options, allowPositionals: true });
  assert.deepEqual(parse(["--task", "7"]).values, { pid: "7" });
  assert.deepEqual(parse(["--task=7"]).tokens, [{ name: "pid", value: "7" }]);
  assert.deepEqual(parse(["-N7"]).values, { pid: "7" });
  const bare = parse(["--color", "never"]);
  assert.deepEqual(bare.values, { color: "auto" });
  assert.deepEqual(bare.positionals, ["never"]);
  assert.deepEqual(parse(["--color=never"]).values, { color: "never" });
  assert.throws(() => parse(["--tas", "1"]), /unrecognized option '--tas'/);
  assert.throws(() => parse(["--json=1"]), /'--json' does not take/);
  assert.deepEqual(
    splitAtCommand(["--task", "7", "--color", "ls", "-l"], options),
    { options: ["--task", "7", "--color"], command: ["ls", "-l"] },
  );
});
