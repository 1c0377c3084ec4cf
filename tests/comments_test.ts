/**
 * Comments and docs that stay true: every file a comment names (in lib/,
 * ffi/, scripts/, tests/ and main.ts) and every repository path the README
 * and docs/ name exists, and no comment carries a measured time, which
 * belongs in the bench's output (scripts/bench.ts), not in the code.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { ROOT_DIR } from "./under_test.ts";
import { fileExists } from "./file_exists.ts";

/** A file path in a comment: one with folders, or a file name alone. */
const CODE_PATH =
  /(?<![\w%.:/-])((?:\.\.?\/)?(?:[\w-]+\/)*[\w-]+\.(?:ts|json|md))(?![\w/-])/g;
/** A repository path in a document: one that starts in a top folder. */
const DOC_PATH =
  /(?<![\w%.:/-])((?:lib|ffi|tests|scripts|docs|\.ci)\/[\w./-]*[\w-])(?![\w/-])/g;
/** A measured time: `12 ms`, `0.2 µs`, `15 of 20 runs`. */
const MEASURED =
  /\b\d[\d.,]*\s?(?:ms|µs|ns)\b|\b\d+ of \d+ (?:runs|starts|tries)\b/;

function filesBelow(dir: string, suffix: string): string[] {
  const found: string[] = [];
  const walk = (path: string): void => {
    for (const entry of Deno.readDirSync(path)) {
      const child = `${path}/${entry.name}`;
      if (entry.isDirectory) walk(child);
      else if (entry.name.endsWith(suffix)) found.push(child);
    }
  };
  try {
    walk(dir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found;
}

/** The comment lines of a source, with their numbers; examples left out. */
function commentLines(text: string): [number, string][] {
  const lines: [number, string][] = [];
  let example = false;
  text.split("\n").forEach((line, index) => {
    if (!/^\s*(\/\/|\/\*\*|\*)/.test(line)) return;
    if (line.includes("```")) example = !example;
    else if (!example) lines.push([index + 1, line]);
  });
  return lines;
}

const SOURCES = [
  ...["lib", "ffi", "scripts", "tests"].flatMap((dir) =>
    filesBelow(`${ROOT_DIR}${dir}`, ".ts")
  ),
  `${ROOT_DIR}main.ts`,
];

Deno.test("every file a comment names exists (beside it, or from the top)", () => {
  const missing: string[] = [];
  for (const file of SOURCES) {
    const text = Deno.readTextFileSync(file);
    for (const [number, line] of commentLines(text)) {
      for (const [, path] of line.matchAll(CODE_PATH)) {
        if (
          !fileExists(join(dirname(file), path)) &&
          !fileExists(join(ROOT_DIR, path))
        ) {
          missing.push(`${file.slice(ROOT_DIR.length)}:${number}: ${path}`);
        }
      }
    }
  }
  assert.deepEqual(missing, []);
});

Deno.test("every repository path the README and docs/ name exists", () => {
  const missing: string[] = [];
  const documents = [
    `${ROOT_DIR}README.md`,
    ...filesBelow(`${ROOT_DIR}docs`, ".md"),
  ].filter(fileExists);
  for (const document of documents) {
    const lines = Deno.readTextFileSync(document).split("\n");
    lines.forEach((line, index) => {
      for (const [, path] of line.matchAll(DOC_PATH)) {
        if (!fileExists(join(ROOT_DIR, path))) {
          missing.push(
            `${document.slice(ROOT_DIR.length)}:${index + 1}: ${path}`,
          );
        }
      }
    });
  }
  assert.deepEqual(missing, []);
});

Deno.test("no comment carries a measured time", () => {
  const measured: string[] = [];
  for (const file of SOURCES) {
    if (file.endsWith("/comments_test.ts")) continue;
    for (const [number, line] of commentLines(Deno.readTextFileSync(file))) {
      if (MEASURED.test(line)) {
        measured.push(
          `${file.slice(ROOT_DIR.length)}:${number}: ${line.trim()}`,
        );
      }
    }
  }
  assert.deepEqual(measured, []);
});
