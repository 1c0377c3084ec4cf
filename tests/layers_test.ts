/**
 * The layers of lib/ (see docs/design.md): dependencies point one way.
 * The pure layers — mount/ (the model), plan/ (plans) and cli/ (parsing,
 * help, output) — never import ffi/ or exec/; mount/ and plan/ touch no
 * `Deno.*` API; only exec/ (and system/, for reads that must be
 * byte-exact) imports ffi/.
 */
import assert from "node:assert/strict";
import { ROOT_DIR } from "./helpers.ts";

const IMPORT =
  /^\s*(?:import|export)\b[^"']*?from\s+["']([^"']+)["']|^\s*import\s*\(?\s*["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** Every .ts file below a lib/ folder, tests left out. */
function sources(folder: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of Deno.readDirSync(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        files.push(path);
      }
    }
  };
  walk(folder === "" ? `${ROOT_DIR}lib` : `${ROOT_DIR}lib/${folder}`);
  return files;
}

/** The files a source imports, as paths relative to the repository. */
function importsOf(file: string): string[] {
  const text = Deno.readTextFileSync(file);
  const found: string[] = [];
  for (const pattern of [IMPORT, DYNAMIC]) {
    for (const match of text.matchAll(pattern)) {
      const specifier = match[1] ?? match[2];
      if (!specifier.startsWith(".")) continue;
      const absolute = new URL(specifier, `file://${file}`).pathname;
      found.push(absolute.slice(ROOT_DIR.length));
    }
  }
  return found;
}

const RULES: Record<string, { forbidden: RegExp; pureDeno: boolean }> = {
  mount: {
    forbidden: /^(ffi|lib\/(exec|system|cli|plan))\//,
    pureDeno: true,
  },
  plan: { forbidden: /^(ffi|lib\/(exec|system|cli))\//, pureDeno: true },
  cli: { forbidden: /^(ffi|lib\/exec)\//, pureDeno: false },
  system: { forbidden: /^lib\/(exec|cli)\//, pureDeno: false },
};

for (const [layer, rule] of Object.entries(RULES)) {
  Deno.test(`lib/${layer}/ imports only what its layer may`, () => {
    const files = sources(layer);
    assert.ok(files.length > 0, `lib/${layer}/ has files`);
    const wrong: string[] = [];
    for (const file of files) {
      for (const target of importsOf(file)) {
        if (rule.forbidden.test(target)) {
          wrong.push(`${file.slice(ROOT_DIR.length)} imports ${target}`);
        }
      }
      if (
        rule.pureDeno &&
        /\bDeno\.(?!test\b)/.test(
          Deno.readTextFileSync(file).replace(/^\s*\*.*$/gm, ""),
        )
      ) {
        wrong.push(`${file.slice(ROOT_DIR.length)} uses a Deno API`);
      }
    }
    assert.deepEqual(wrong, []);
  });
}

Deno.test("only lib/exec/ and lib/system/ import ffi/", () => {
  const wrong: string[] = [];
  for (const file of sources("")) {
    const relative = file.slice(ROOT_DIR.length);
    if (/^lib\/(exec|system)\//.test(relative)) continue;
    for (const target of importsOf(file)) {
      if (target.startsWith("ffi/")) {
        wrong.push(`${relative} imports ${target}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("lib/ itself keeps at most six files", () => {
  const files = [...Deno.readDirSync(`${ROOT_DIR}lib`)].filter((entry) =>
    entry.isFile
  );
  assert.ok(files.length <= 6, files.map((entry) => entry.name).join(", "));
});
