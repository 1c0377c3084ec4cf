/**
 * Bytes as text, exactly. Linux paths, argv words and environment entries
 * are bytes, not UTF-8; mntns holds them as JavaScript strings where valid
 * UTF-8 decodes as usual and every byte that is not part of valid UTF-8 is
 * kept as a lone surrogate, U+DC80 + (byte − 0x80) — Python's
 * "surrogateescape". Decoding and encoding round-trip every byte sequence,
 * and text that is valid UTF-8 (all of it, nearly always) is an ordinary
 * string that every Deno API takes.
 *
 * For people, {@linkcode displayText} escapes what a terminal must not get
 * raw, as findmnt does; JSON.stringify writes a kept byte as `\udcNN`.
 *
 * @module
 */

// ignoreBOM: a leading U+FEFF is part of the name, not a byte-order mark.
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

/** The first and last code unit of a kept (undecodable) byte. */
const KEPT_FIRST = 0xdc80;
const KEPT_LAST = 0xdcff;
const SURROGATE_ANY = /[\ud800-\udfff]/;

/**
 * Decodes bytes as UTF-8, keeping each byte that is not valid UTF-8 as
 * U+DC80 + (byte − 0x80).
 *
 * @example
 * ```ts
 * decodeBytes(new Uint8Array([0x61, 0xff, 0x62])); // "a\udcffb"
 * ```
 */
export function decodeBytes(bytes: Uint8Array): string {
  // Deno's replacing decoder is much faster than its strict one (the bench
  // reads a 20,000-mount mountinfo), and it gives the same text whenever it
  // replaced nothing; a U+FFFD may be a replacement, or the
  // bytes' own, so that text is decoded again, strictly.
  const text = lossy.decode(bytes);
  return text.includes("\ufffd") ? decodeSlowly(bytes) : text;
}

/** The length of a valid UTF-8 sequence at `at`, or 0 when there is none. */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const first = bytes[at];
  if (first < 0x80) return 1;
  let length: number;
  let min: number;
  if (first >= 0xc2 && first <= 0xdf) [length, min] = [2, 0x80];
  else if (first >= 0xe0 && first <= 0xef) [length, min] = [3, 0x800];
  else if (first >= 0xf0 && first <= 0xf4) [length, min] = [4, 0x10000];
  else return 0;
  if (at + length > bytes.length) return 0;
  let code = first & (0xff >> (length + 1));
  for (let index = 1; index < length; index++) {
    const next = bytes[at + index];
    if ((next & 0xc0) !== 0x80) return 0;
    code = (code << 6) | (next & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    return 0;
  }
  return length;
}

function decodeSlowly(bytes: Uint8Array): string {
  let text = "";
  let start = 0;
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes, at);
    if (length > 0) {
      at += length;
      continue;
    }
    text += strict.decode(bytes.subarray(start, at)) +
      String.fromCharCode(KEPT_FIRST + bytes[at] - 0x80);
    at++;
    start = at;
  }
  return text + strict.decode(bytes.subarray(start));
}

/**
 * Encodes text as UTF-8, writing each kept byte (U+DC80..U+DCFF) back as
 * the byte it was: the inverse of {@linkcode decodeBytes}.
 *
 * @example
 * ```ts
 * encodeBytes("a\udcffb"); // Uint8Array [0x61, 0xff, 0x62]
 * ```
 */
export function encodeBytes(text: string): Uint8Array<ArrayBuffer> {
  if (!SURROGATE_ANY.test(text)) return encoder.encode(text);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < KEPT_FIRST || unit > KEPT_LAST) continue;
    pieces.push(
      encoder.encode(text.slice(start, index)),
      new Uint8Array([unit - KEPT_FIRST + 0x80]),
    );
    start = index + 1;
  }
  pieces.push(encoder.encode(text.slice(start)));
  const bytes = new Uint8Array(
    pieces.reduce((sum, piece) => sum + piece.length, 0),
  );
  let offset = 0;
  for (const piece of pieces) {
    bytes.set(piece, offset);
    offset += piece.length;
  }
  return bytes;
}

/**
 * Splits a NUL-separated list (`/proc/PID/cmdline`, `/proc/PID/environ`)
 * into its words, each decoded with {@linkcode decodeBytes}. A final NUL ends
 * the last word; it starts no empty one.
 *
 * @example
 * ```ts
 * splitNulList(new Uint8Array([0x61, 0, 0, 0x62, 0])); // ["a", "", "b"]
 * ```
 */
export function splitNulList(bytes: Uint8Array): string[] {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 0
    ? bytes.length - 1
    : bytes.length;
  if (end === 0) return bytes.length === 0 ? [] : [""];
  // One decoding for the whole list when it is all valid UTF-8 (NUL ends
  // no sequence, so the words decode the same one by one).
  const text = lossy.decode(bytes.subarray(0, end));
  if (!text.includes("\ufffd")) return text.split("\0");
  const words: string[] = [];
  let start = 0;
  for (let index = 0; index < end; index++) {
    if (bytes[index] !== 0) continue;
    words.push(decodeBytes(bytes.subarray(start, index)));
    start = index + 1;
  }
  words.push(decodeBytes(bytes.subarray(start, end)));
  return words;
}

/**
 * What a terminal must not get raw: C0, DEL, C1 and kept bytes; and a
 * backslash that starts `\x`, so that every `\x` printed is an escape (as
 * findmnt does: util-linux `mbs_safe_encode`; other backslashes stay).
 */
// deno-lint-ignore no-control-regex -- control characters are what it finds
const UNSAFE = /[\x00-\x1f\x7f-\x9f\udc80-\udcff]|\\(?=x)/;
// deno-lint-ignore no-control-regex -- control characters are what it finds
const UNSAFE_ALL = /[\x00-\x1f\x7f-\x9f\udc80-\udcff]|\\(?=x)/g;

function hexByte(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, "0")}`;
}

function escapeUnsafe(char: string): string {
  const unit = char.charCodeAt(0);
  if (unit >= KEPT_FIRST) return hexByte(unit - KEPT_FIRST + 0x80);
  // C1 controls are two bytes in UTF-8, and findmnt escapes both.
  if (unit >= 0x80) return hexByte(0xc2) + hexByte(unit);
  return hexByte(unit);
}

/**
 * Text made safe for a terminal, as findmnt prints it: control characters
 * (C0, DEL, C1) and bytes that are not UTF-8 become `\xNN`, byte by byte, and
 * so does a backslash before `x` (`\x5cx`), so that no name can pass for an
 * escape; printable text, spaces, other backslashes and non-ASCII letters
 * stay. One line in, one line out.
 *
 * @example
 * ```ts
 * displayText("/mnt/a\nb\udcff"); // "/mnt/a\\x0ab\\xff"
 * displayText("C:\\x1b"); // "C:\\x5cx1b"
 * ```
 */
export function displayText(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeUnsafe) : text;
}

/** What findmnt's raw mode (`-r`) escapes: all but printable ASCII, and `\`. */
const RAW_UNSAFE = /[^\x21-\x5b\x5d-\x7e]/;

/**
 * Text as findmnt's raw mode (`-r`) prints it: every byte that is not
 * printable ASCII — space, controls, DEL, each byte of a non-ASCII letter,
 * a byte that is not UTF-8 — and every backslash becomes `\xNN`, so a cell
 * is one word that `printf '%b'` turns back into its bytes. Whatever the
 * locale, as findmnt.
 *
 * @example
 * ```ts
 * rawText("/mnt/sp é"); // "/mnt/sp\\x20\\xc3\\xa9"
 * rawText("a\\b\udcff"); // "a\\x5cb\\xff"
 * ```
 */
export function rawText(text: string): string {
  if (!RAW_UNSAFE.test(text)) return text;
  let out = "";
  for (const byte of encodeBytes(text)) {
    out += byte > 0x20 && byte < 0x7f && byte !== 0x5c
      ? String.fromCharCode(byte)
      : hexByte(byte);
  }
  return out;
}

/** What findmnt's `-P` quotes as `\xNN`: all but printable ASCII, `"`, `\`, `` ` ``, `$`. */
const PAIR_UNSAFE = /[^\x20\x21\x23\x25-\x5b\x5d-\x5f\x61-\x7e]/;

/**
 * Text as findmnt's `-P` prints a value, inside its double quotes: every
 * byte that is not printable ASCII, and `"`, `\`, `` ` `` and `$`, as
 * `\xNN` (spaces stay), so a shell's `eval` reads it back.
 *
 * @example
 * ```ts
 * pairText('/mnt/sp é"$'); // "/mnt/sp \\xc3\\xa9\\x22\\x24"
 * ```
 */
export function pairText(text: string): string {
  if (!PAIR_UNSAFE.test(text)) return text;
  let out = "";
  for (const byte of encodeBytes(text)) {
    out += byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c &&
        byte !== 0x60 && byte !== 0x24
      ? String.fromCharCode(byte)
      : hexByte(byte);
  }
  return out;
}
