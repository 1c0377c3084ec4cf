/**
 * The structure of a `--help` text, read back from the text itself: the
 * usage line, paragraphs, bulleted lists, titled lists of entries
 * (`Options:`, `Columns:`, `Commands:`) whose terms start two spaces in and
 * whose explanations follow after two spaces or on more deeply indented
 * lines, and any other indented lines, kept as they are. The man page is made from it, and the tests compare its option
 * entries with the parser's declarations.
 *
 * @module
 */

/** One entry of a titled list: `  -o, --output COL,...  the columns`. */
export interface HelpEntry {
  /** What it explains: `-o, --output COL,...`. */
  term: string;
  /** The explanation, its lines joined by spaces. */
  text: string;
}

/** A piece of a help text. */
export type HelpBlock =
  | { kind: "usage"; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "literal"; lines: string[] }
  | { kind: "entries"; title: string; entries: HelpEntry[] };

/** A line that titles a list of entries: a few words and a colon. */
const TITLE = /^[A-Z][A-Za-z ]{0,30}:$/;

/**
 * Splits a help text into its blocks.
 *
 * @example
 * ```ts
 * helpBlocks("Usage: mntns x\n\nOptions:\n  -h, --help  show this help\n");
 * // [{ kind: "usage", text: "mntns x" },
 * //  { kind: "entries", title: "Options", entries: [{ term: "-h, --help", text: "show this help" }] }]
 * ```
 */
export function helpBlocks(help: string): HelpBlock[] {
  const blocks: HelpBlock[] = [];
  let open: HelpBlock | null = null;
  const join = (before: string, after: string): string =>
    before === "" ? after : `${before} ${after}`;
  for (const line of help.split("\n")) {
    const indent = line.length - line.trimStart().length;
    const text = line.trim();
    if (text === "") {
      open = null;
    } else if (blocks.length === 0 && text.startsWith("Usage: ")) {
      blocks.push({ kind: "usage", text: text.slice("Usage: ".length) });
    } else if (indent === 0) {
      if (open?.kind === "paragraph") {
        open.text = join(open.text, text);
      } else if (TITLE.test(text)) {
        open = { kind: "entries", title: text.slice(0, -1), entries: [] };
        blocks.push(open);
      } else {
        open = { kind: "paragraph", text };
        blocks.push(open);
      }
    } else if (indent === 2 && text.startsWith("- ")) {
      if (open?.kind !== "list") {
        open = { kind: "list", items: [] };
        blocks.push(open);
      }
      open.items.push(text.slice(2));
    } else if (open?.kind === "list") {
      const items = open.items;
      items[items.length - 1] = join(items[items.length - 1], text);
    } else if (open?.kind === "entries" && indent > 2) {
      const last = open.entries[open.entries.length - 1];
      last.text = join(last.text, text);
    } else if (open?.kind === "entries") {
      const gap = text.search(/ {2,}/);
      open.entries.push(
        gap < 0
          ? { term: text, text: "" }
          : { term: text.slice(0, gap), text: text.slice(gap).trim() },
      );
    } else if (open?.kind === "literal") {
      open.lines.push(line);
    } else {
      open = { kind: "literal", lines: [line] };
      blocks.push(open);
    }
  }
  return blocks;
}

/** One way of writing an option in a help entry: `--color[=WHEN]`. */
export interface HelpOptionForm {
  /** `-o` or `--output`. */
  flag: string;
  /** Its value's placeholder (`COL,...`), or null. */
  value: string | null;
  /** Whether the value may be left out (`--color[=WHEN]`). */
  optional: boolean;
}

const FORM =
  /^(-[A-Za-z0-9]|--[a-z0-9][a-z0-9-]*)(?:\[=([^\]]+)\]|[ =](\S+))?$/;

/**
 * The option forms of an `Options:` entry's term; the value written after
 * the last form is every form's (`-N, --pid, --task N`). Null when the term
 * is not a list of options.
 *
 * @example
 * ```ts
 * optionForms("-o, --output COL,...");
 * // [{ flag: "-o", value: "COL,...", optional: false }, { flag: "--output", value: "COL,...", optional: false }]
 * ```
 */
export function optionForms(term: string): HelpOptionForm[] | null {
  const forms: HelpOptionForm[] = [];
  for (const part of term.split(", ")) {
    const match = FORM.exec(part);
    if (match === null) return null;
    forms.push({
      flag: match[1],
      value: match[2] ?? match[3] ?? null,
      optional: match[2] !== undefined,
    });
  }
  const last = forms[forms.length - 1];
  return forms.map((form) => ({
    ...form,
    value: last.value,
    optional: last.optional,
  }));
}
