/**
 * Output made as bytes into one reusable buffer that is written out
 * whenever it fills: a large listing costs the buffer, whatever its size,
 * and no string a line. Blanks are owed rather than written (padding), so
 * that those at the end of a line are simply dropped.
 *
 * @module
 */

import { OUTPUT_CHUNK_CHARS, writeOutBytes } from "./output.ts";

const encoder = new TextEncoder();

/**
 * A reusable output buffer: see the module's comment.
 *
 * @example
 * ```ts
 * const out = new OutputBuffer();
 * out.text("TARGET");
 * out.blanks(2);
 * out.endLine();
 * out.flush(); // writes "TARGET\n"
 * ```
 */
export class OutputBuffer {
  #buffer: Uint8Array;
  #at = 0;
  #owed = 0;
  #write: (bytes: Uint8Array) => void;

  /**
   * A buffer of `size` bytes, written out through `write` (stdout's, by
   * default).
   *
   * @example
   * ```ts
   * const pieces: Uint8Array[] = [];
   * new OutputBuffer({ write: (bytes) => pieces.push(bytes.slice()) });
   * ```
   */
  constructor(
    options: { write?: (bytes: Uint8Array) => void; size?: number } = {},
  ) {
    this.#write = options.write ?? writeOutBytes;
    this.#buffer = new Uint8Array(options.size ?? OUTPUT_CHUNK_CHARS);
  }

  /** Owes `count` blanks: written before what comes next on the line. */
  blanks(count: number): void {
    if (count > 0) this.#owed += count;
  }

  /** Ends a line: the blanks owed are dropped, a newline written. */
  endLine(): void {
    this.#owed = 0;
    this.byte(10);
  }

  /** Writes one byte (after the blanks owed). */
  byte(value: number): void {
    if (this.#owed > 0) this.#payBlanks();
    if (this.#at === this.#buffer.length) this.flush();
    this.#buffer[this.#at++] = value;
  }

  /** Writes `count` copies of a byte (after the blanks owed). */
  fill(value: number, count: number): void {
    if (this.#owed > 0) this.#payBlanks();
    this.#fill(value, count);
  }

  /**
   * Writes bytes [start, end) of `source` (after the blanks owed; nothing,
   * and the blanks still owed, when there are none).
   */
  copy(source: Uint8Array, start: number, end: number): void {
    if (end <= start) return;
    if (this.#owed > 0) this.#payBlanks();
    let buffer = this.#buffer;
    if (end - start > buffer.length - this.#at) {
      if (end - start > buffer.length) {
        this.flush();
        this.#write(source.subarray(start, end));
        return;
      }
      this.flush();
      buffer = this.#buffer;
    }
    let at = this.#at;
    for (let index = start; index < end; index++) buffer[at++] = source[index];
    this.#at = at;
  }

  /**
   * Writes text as UTF-8 (after the blanks owed; nothing, and the blanks
   * still owed, for `""`).
   */
  text(text: string): void {
    if (text === "") return;
    if (this.#owed > 0) this.#payBlanks();
    // Three bytes at most a UTF-16 unit.
    if (text.length * 3 > this.#buffer.length - this.#at) {
      this.flush();
      if (text.length * 3 > this.#buffer.length) {
        this.#write(encoder.encode(text));
        return;
      }
    }
    // `written` comes from Deno as a heap number: `| 0` keeps `#at` a small
    // integer. Stored as it is, it would make the field a double in every
    // OutputBuffer, which code not yet optimized boxes at each read (and
    // the code already optimized for it is thrown away).
    this.#at += encoder.encodeInto(text, this.#buffer.subarray(this.#at))
      .written | 0;
  }

  /** Writes a number's decimal digits (after the blanks owed). */
  digits(value: number): void {
    if (this.#owed > 0) this.#payBlanks();
    if (this.#buffer.length - this.#at < 16) this.flush();
    const buffer = this.#buffer;
    const width = digitCount(value);
    let at = this.#at + width;
    this.#at = at;
    do {
      buffer[--at] = 48 + value % 10;
      value = Math.floor(value / 10);
    } while (value > 0);
  }

  /** Writes out what is buffered. */
  flush(): void {
    if (this.#at === 0) return;
    this.#write(this.#buffer.subarray(0, this.#at));
    this.#at = 0;
  }

  #payBlanks(): void {
    const owed = this.#owed;
    this.#owed = 0;
    this.#fill(0x20, owed);
  }

  #fill(value: number, count: number): void {
    // A short run (a cell's padding, nearly always) byte by byte: cheaper
    // than a call of TypedArray.fill.
    if (count <= 32 && this.#buffer.length - this.#at >= count) {
      const buffer = this.#buffer;
      let at = this.#at;
      for (const end = at + count; at < end; at++) buffer[at] = value;
      this.#at = at;
      return;
    }
    while (count > 0) {
      if (this.#at === this.#buffer.length) this.flush();
      const run = Math.min(count, this.#buffer.length - this.#at);
      this.#buffer.fill(value, this.#at, this.#at + run);
      this.#at += run;
      count -= run;
    }
  }
}

/**
 * How many decimal digits a whole number (0 to 2^53 - 1) has.
 *
 * @example
 * ```ts
 * digitCount(0); // 1
 * digitCount(4096); // 4
 * ```
 */
export function digitCount(value: number): number {
  let count = 1;
  while (value >= 10) {
    value = Math.floor(value / 10);
    count++;
  }
  return count;
}
