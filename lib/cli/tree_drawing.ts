/**
 * The branches findmnt draws before each target of its tree (`├─`,
 * `│ └─`), over the order lib/mount/tree.ts gives the mounts, written as
 * bytes as each row is printed.
 *
 * @module
 */

import type { OutputBuffer } from "./output_buffer.ts";

/**
 * A row's place in the tree: how deep it is and whether it is the last of
 * its siblings, which is all its prefix is made of
 * ({@linkcode TreePrefixes}); a row's prefix is as long as the tree is deep,
 * so a deep tree's prefixes are made as they are printed, not kept.
 */
export interface TreeStep {
  /** 0 at the top level. */
  depth: number;
  /** The last of its parent's children drawn (`└─`, not `├─`). */
  last: boolean;
}

const encoder = new TextEncoder();

/**
 * The prefixes of a tree's rows, written one after another in tree order
 * from what was last drawn at each depth above: `"  "` for a level whose
 * last row was a last child, `"│ "` for another, for each level above the
 * row's, then `└─` or `├─` (findmnt's lines, or with `-a` its ASCII
 * `` `- ``, `|-`, `| `).
 *
 * @example
 * ```ts
 * import { OutputBuffer } from "./output_buffer.ts";
 * const out = new OutputBuffer();
 * const prefixes = new TreePrefixes(false);
 * prefixes.write({ depth: 1, last: false }, out);
 * prefixes.write({ depth: 2, last: true }, out); // "├─│ └─"
 * ```
 */
export class TreePrefixes {
  /** At each depth from 1, 1 where the last row drawn there was a last child. */
  #lasts = new Uint8Array(64);
  #bar: Uint8Array;
  #last: Uint8Array;
  #middle: Uint8Array;

  /**
   * Prefixes drawn with findmnt's lines, or in ASCII.
   *
   * @example
   * ```ts
   * new TreePrefixes(true);
   * ```
   */
  constructor(ascii: boolean) {
    this.#bar = encoder.encode(ascii ? "| " : "│ ");
    this.#last = encoder.encode(ascii ? "`-" : "└─");
    this.#middle = encoder.encode(ascii ? "|-" : "├─");
  }

  /**
   * Writes the prefix of the row after the last one written (the first
   * row: one at the top level, which has none).
   *
   * @example
   * ```ts
   * import { OutputBuffer } from "./output_buffer.ts";
   * new TreePrefixes(false).write({ depth: 1, last: true }, new OutputBuffer());
   * ```
   */
  write(step: TreeStep, out: OutputBuffer): void {
    const { depth, last } = step;
    if (depth === 0) return;
    if (depth > this.#lasts.length) {
      const bigger = new Uint8Array(Math.max(depth, 2 * this.#lasts.length));
      bigger.set(this.#lasts);
      this.#lasts = bigger;
    }
    const lasts = this.#lasts;
    const bar = this.#bar;
    lasts[depth - 1] = last ? 1 : 0;
    // The indent, a run of equal pieces at a time.
    for (let at = 0; at < depth - 1;) {
      const blank = lasts[at];
      let end = at + 1;
      while (end < depth - 1 && lasts[end] === blank) end++;
      if (blank === 1) out.fill(0x20, 2 * (end - at));
      else for (let run = at; run < end; run++) out.copy(bar, 0, bar.length);
      at = end;
    }
    const branch = last ? this.#last : this.#middle;
    out.copy(branch, 0, branch.length);
  }
}
