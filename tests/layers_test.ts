/**
 * The layers (see docs/design.md): dependencies point one way, and every
 * folder has a rule. mount/ (the model) and plan/ (plans) touch no `Deno.*`
 * API and import no runtime (plan/ may name system/'s types); cli/ (parsing,
 * help, output) never imports ffi/ or exec/; system/ (readers of /proc)
 * never imports exec/, cli/ or plan/; exec/ (executors) never imports cli/;
 * ffi/ (the libc binding) imports nothing of lib/ but lib/bytes.ts, which
 * imports nothing; lib/'s own files never import ffi/. The rules are checked on fixtures of the edges they
 * forbid, then on every source file.
 */
import assert from "node:assert/strict";
import { ROOT_DIR } from "./under_test.ts";

const IMPORT =
  /^\s*(import|export)\b(\s+type\b)?[^"';]*?from\s+["']([^"']+)["']|^\s*import\s*\(?\s*["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** One import of a source: the file it names, and whether only types. */
interface Edge {
  target: string;
  typeOnly: boolean;
}

/** Every .ts file below a folder of the repository, tests left out. */
function sources(folder: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of Deno.readDirSync(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        files.push(path.slice(ROOT_DIR.length));
      }
    }
  };
  walk(`${ROOT_DIR}${folder}`);
  return files;
}

/** The imports in a source's text, as paths relative to the repository. */
function importsOf(file: string, text: string): Edge[] {
  const edges: Edge[] = [];
  const base = `file://${ROOT_DIR}${file}`;
  const add = (specifier: string, typeOnly: boolean): void => {
    if (!specifier.startsWith(".")) return;
    const absolute = new URL(specifier, base).pathname;
    edges.push({ target: absolute.slice(ROOT_DIR.length), typeOnly });
  };
  for (const match of text.matchAll(IMPORT)) {
    add(match[3] ?? match[4], match[2] !== undefined);
  }
  for (const match of text.matchAll(DYNAMIC)) add(match[1], false);
  return edges;
}

/** A folder's rule: what it may not import, and whether it may use Deno. */
interface Rule {
  /** Files no import may name. */
  forbidden: RegExp;
  /** Files only a type-only import may name. */
  typesOnly?: RegExp;
  /** Whether its files may use a `Deno.*` API. */
  deno: boolean;
}

const RULES: Record<string, Rule> = {
  "lib/mount/": {
    forbidden: /^(ffi|lib\/(exec|system|cli|plan))\//,
    deno: false,
  },
  "lib/plan/": {
    forbidden: /^(ffi|lib\/(exec|cli))\//,
    typesOnly: /^lib\/system\//,
    deno: false,
  },
  "lib/cli/": { forbidden: /^(ffi|lib\/exec)\//, deno: true },
  "lib/system/": { forbidden: /^lib\/(exec|cli|plan)\//, deno: true },
  "lib/exec/": { forbidden: /^lib\/cli\//, deno: true },
  "ffi/": { forbidden: /^lib\/(?!bytes\.ts$)/, deno: true },
  "lib/bytes.ts": { forbidden: /./, deno: true },
  "lib/*.ts": { forbidden: /^ffi\//, deno: true },
};

/** Whether a file is in a rule's folder (`lib/*.ts`: lib/'s own files). */
function inFolder(file: string, folder: string): boolean {
  return folder === "lib/*.ts"
    ? /^lib\/[^/]+\.ts$/.test(file)
    : file.startsWith(folder);
}

/** Where a source breaks its folder's rule, one sentence each. */
function violations(file: string, text: string): string[] {
  const wrong: string[] = [];
  for (const [folder, rule] of Object.entries(RULES)) {
    if (!inFolder(file, folder)) continue;
    for (const { target, typeOnly } of importsOf(file, text)) {
      if (
        rule.forbidden.test(target) ||
        (!typeOnly && rule.typesOnly?.test(target))
      ) {
        wrong.push(`${file} imports ${target}`);
      }
    }
    const code = text.replace(/^\s*(\*|\/\/).*$/gm, "");
    if (!rule.deno && /\bDeno\.(?!test\b)/.test(code)) {
      wrong.push(`${file} uses a Deno API`);
    }
  }
  return wrong;
}

Deno.test("the layer rules catch each edge that runs the wrong way", () => {
  const fixtures: [string, string][] = [
    ["lib/exec/run.ts", 'import { writeWarning } from "../cli/output.ts";'],
    [
      "lib/exec/stages/wait_stage.ts",
      'import { x } from "../../cli/output.ts";',
    ],
    [
      "lib/system/proc.ts",
      'import type { Caller } from "../plan/exec_target.ts";',
    ],
    [
      "lib/system/process_namespaces.ts",
      'import type { UnshareName } from "../plan/setup_ops.ts";',
    ],
    ["ffi/cstring.ts", 'import { x } from "../lib/errors.ts";'],
    ["lib/bytes.ts", 'import { x } from "./errors.ts";'],
    ["lib/mount/tree.ts", 'import { painted } from "../cli/color.ts";'],
    ["lib/plan/run_plan.ts", 'import { readCaller } from "../system/proc.ts";'],
    ["lib/plan/run_plan.ts", "const pid = Deno.pid;"],
    ["lib/cli/run.ts", 'const exec = await import("../exec/run.ts");'],
    ["lib/commands.ts", 'import { execve } from "../ffi/syscalls.ts";'],
  ];
  for (const [file, text] of fixtures) {
    assert.equal(violations(file, text).length, 1, `${file}: ${text}`);
  }
  assert.deepEqual(
    violations(
      "lib/plan/exec_target.ts",
      'import type { SignalState } from "../system/signals.ts";',
    ),
    [],
  );
  assert.deepEqual(
    violations(
      "ffi/cstring.ts",
      'import { encodeBytes } from "../lib/bytes.ts";',
    ),
    [],
  );
});

Deno.test("every folder of lib/ and ffi/ keeps its layer's rule", () => {
  const checked = new Set<string>();
  const wrong: string[] = [];
  for (const file of [...sources("lib"), ...sources("ffi")]) {
    for (const folder of Object.keys(RULES)) {
      if (inFolder(file, folder)) checked.add(folder);
    }
    wrong.push(...violations(file, Deno.readTextFileSync(ROOT_DIR + file)));
  }
  assert.deepEqual(wrong, []);
  assert.deepEqual([...checked].sort(), Object.keys(RULES).sort());
});

Deno.test("lib/ itself keeps at most six files", () => {
  const files = [...Deno.readDirSync(`${ROOT_DIR}lib`)].filter((entry) =>
    entry.isFile
  );
  assert.ok(files.length <= 6, files.map((entry) => entry.name).join(", "));
});

/**
 * What `deno run` loads before a file's first line runs: the file, what it
 * imports for its code (types are erased) and what a literal `import()` in
 * it names, and so on.
 */
function loadedBeforeFirstLine(file: string): Set<string> {
  const loaded = new Set<string>();
  const visit = (path: string): void => {
    if (loaded.has(path)) return;
    loaded.add(path);
    const code = Deno.readTextFileSync(ROOT_DIR + path)
      .replace(/^\s*(\*|\/\/|\/\*\*).*$/gm, "");
    for (const { target, typeOnly } of importsOf(path, code)) {
      if (!typeOnly) visit(target);
    }
  };
  visit(file);
  return loaded;
}

Deno.test("the caller's signal state is kept before the dispatcher is loaded: main.ts loads a few modules first", () => {
  // Deno takes SIGUSR1 on a turn of its event loop from half a second
  // after it starts, and loading modules turns it (lib/exec/stages/start.ts).
  const loaded = loadedBeforeFirstLine("main.ts");
  assert.ok(loaded.has("lib/exec/stages/start.ts"));
  assert.ok(loaded.has("lib/system/signals.ts"));
  assert.ok(!loaded.has("lib/dispatch.ts"), [...loaded].join(", "));
  assert.ok(loaded.size <= 12, [...loaded].join(", "));
  // The bundle's entry names it literally, so the bundler takes it in.
  assert.ok(
    loadedBeforeFirstLine("lib/exec/stages/bundle_main.ts")
      .has("lib/dispatch.ts"),
  );
});
