/**
 * The one mountinfo scanner: a text held compactly, its bytes once and per
 * mount one record of numbers (ids, peer groups, where its fields lie in
 * the bytes), so that a large mount table costs about its text and a few
 * dozen bytes a mount — no string and no object a mount. A
 * {@linkcode Mount} is made only when asked for
 * ({@linkcode MountTable.mount}); {@linkcode parseMountinfo} makes them all.
 *
 * A usual line that is plain (printable ASCII without a backslash, so
 * without escapes: nearly every line) is cut here, on its bytes, where
 * {@linkcode parseLine} would cut it; its fields can then be copied out as
 * bytes, and its mount is made from them. Any other line is parsed by
 * {@linkcode parseLine} when it is added (so that a malformed one fails
 * there, with its line number) and again whenever it is asked for.
 *
 * @module
 */

import { decodeBytes, encodeBytes } from "../bytes.ts";
import { type Mount, parseLine } from "./mountinfo.ts";

/** A field of a plain line whose bytes {@linkcode MountTable} finds. */
export type MountField =
  | "root"
  | "target"
  | "options"
  | "fstype"
  | "source"
  | "superOptions";

/**
 * Offsets kept a line, from its start: the space before the root, the
 * target, the options and after them; the separator ` - `; the spaces
 * after the type and the source; the line's end.
 */
const OFFSETS = 8;

/** Each field's start and end: [offset index, added to it, end's index]. */
const FIELDS: Record<MountField, readonly [number, number, number]> = {
  root: [0, 1, 1],
  target: [1, 1, 2],
  options: [2, 1, 3],
  fstype: [4, 3, 5],
  source: [5, 1, 6],
  superOptions: [6, 1, 7],
};

/** Flags of a record. */
const PLAIN = 1;
const UNBINDABLE = 2;
/** Its id or parent id is past the ids' array ({@linkcode NO_ID}). */
const BIG_ID = 4;

/** In the ids' array: an id too large for it, read from the mount. */
const NO_ID = 0xffffffff;

/** No peer group (in the group arrays). */
const NONE = -1;

/** How many lines are read before the record count is estimated. */
const SAMPLE_LINES = 4096;

/** Longest run of digits read as a number here: below 2^53, so exact. */
const MAX_DIGITS = 15;

/** What {@linkcode MountTable.append} takes. */
export interface MountinfoBytes {
  /** Whole lines of mountinfo (the last one's newline may be missing). */
  bytes: Uint8Array;
  /** The file they come from, for errors. */
  source: string;
  /** The line number of their first line in that file. */
  firstLine: number;
}

/**
 * Mountinfo, compactly: see the module's comment.
 *
 * @example
 * ```ts
 * const table = new MountTable();
 * table.append({
 *   bytes: new TextEncoder().encode("22 1 0:21 / /proc rw shared:5 - proc proc rw\n"),
 *   source: "mountinfo",
 *   firstLine: 1,
 * });
 * table.peer(0); // 5
 * table.mount(0).target; // "/proc"
 * ```
 */
export class MountTable {
  #bytes: Uint8Array;
  #used = 0;
  /** How many bytes the whole text is expected to be (0: not known). */
  #expected: number;
  #count = 0;
  #starts = new Uint32Array(64);
  #offsets = new Uint16Array(64 * OFFSETS);
  #ids = new Uint32Array(64);
  #parents = new Uint32Array(64);
  #peers = new Int32Array(64);
  #masters = new Int32Array(64);
  /** `propagate_from:N` of the plain lines that have it (few do). */
  #froms = new Map<number, number>();
  #flags = new Uint8Array(64);

  /**
   * An empty table; `expectedBytes` (a file's size), when known, sizes it
   * at once, so that a large file is not copied as the table grows.
   *
   * @example
   * ```ts
   * new MountTable(2 * 1024 * 1024).length; // 0
   * ```
   */
  constructor(expectedBytes = 0) {
    this.#expected = expectedBytes;
    this.#bytes = new Uint8Array(Math.max(expectedBytes, 64 * 1024));
  }

  /** How many mounts it holds. */
  get length(): number {
    return this.#count;
  }

  /**
   * The text's bytes: a plain line's fields lie in them
   * ({@linkcode MountTable.fieldStart}).
   */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /**
   * Adds whole lines (a piece of a file read a piece at a time); returns
   * how many lines they were. A line that is not mountinfo throws a
   * {@linkcode MountinfoError} naming its line number.
   *
   * @example
   * ```ts
   * const table = new MountTable();
   * table.append({
   *   bytes: new TextEncoder().encode("1 0 0:1 / / rw - ext4 a rw\n\n"),
   *   source: "x",
   *   firstLine: 1,
   * }); // 2
   * ```
   */
  append(piece: MountinfoBytes): number {
    const { bytes: given, source } = piece;
    this.#reserveBytes(given.length);
    const base = this.#used;
    this.#bytes.set(given, base);
    this.#used += given.length;
    const bytes = this.#bytes;
    const stop = base + given.length;
    let line = piece.firstLine;
    let start = base;
    // One loop, few calls: this runs for every line of a large table
    // before the JIT has made it fast.
    while (start < stop) {
      let end = start;
      if (bytes[start] !== 0x0a) {
        if (this.#count === this.#flags.length) this.#reserveRecord(start);
        const index = this.#count++;
        this.#starts[index] = start;
        end = this.#cutPlain(index, start, stop);
        if (end < 0) {
          end = bytes.indexOf(0x0a, start);
          if (end < 0 || end > stop) end = stop;
          this.#addText({ index, start, end, source, line });
        }
      }
      start = end + 1;
      line++;
    }
    return line - piece.firstLine;
  }

  /** Mount `index`'s id. */
  id(index: number): number {
    const id = this.#ids[index];
    return id === NO_ID && this.#bigIds(index) ? this.mount(index).id : id;
  }

  /** Mount `index`'s parent id. */
  parent(index: number): number {
    const parent = this.#parents[index];
    return parent === NO_ID && this.#bigIds(index)
      ? this.mount(index).parent
      : parent;
  }

  /**
   * Whether mount `index`'s line is plain: its fields are bytes to copy
   * ({@linkcode MountTable.fieldStart}), printable ASCII without escapes,
   * and its groups are the numbers {@linkcode MountTable.peer} and the
   * others give without making the mount.
   */
  isPlain(index: number): boolean {
    return (this.#flags[index] & PLAIN) !== 0;
  }

  /** Whether mount `index`'s id or parent id is too large for the ids' array. */
  #bigIds(index: number): boolean {
    return (this.#flags[index] & BIG_ID) !== 0;
  }

  /**
   * A plain line's major and minor device numbers (`major:minor`, read
   * again from its bytes).
   */
  majorMinor(index: number): [number, number] {
    const bytes = this.#bytes;
    const start = this.#starts[index];
    const device = bytes.indexOf(0x20, bytes.indexOf(0x20, start) + 1) + 1;
    const end = start + this.#offsets[index * OFFSETS];
    const colon = bytes.indexOf(0x3a, device);
    return [numberAt(bytes, device, colon), numberAt(bytes, colon + 1, end)];
  }

  /** Mount `index`'s peer group (`shared:N`), or null. */
  peer(index: number): number | null {
    return this.#group(this.#peers, index, "peer");
  }

  /** Mount `index`'s master group (`master:N`), or null. */
  master(index: number): number | null {
    return this.#group(this.#masters, index, "master");
  }

  /** Mount `index`'s `propagate_from:N` group, or null. */
  propagateFrom(index: number): number | null {
    if (!this.isPlain(index)) return this.mount(index).propagateFrom;
    return this.#froms.get(index) ?? null;
  }

  /** Whether mount `index` is unbindable. */
  unbindable(index: number): boolean {
    return this.isPlain(index)
      ? (this.#flags[index] & UNBINDABLE) !== 0
      : this.mount(index).unbindable;
  }

  /** Where a field of plain line `index` starts in {@linkcode MountTable.bytes}. */
  fieldStart(index: number, field: MountField): number {
    // Indexed, not destructured: destructuring allocates while the code is
    // not yet optimized, and this is asked for every cell.
    const place = FIELDS[field];
    return this.#starts[index] + this.#offsets[index * OFFSETS + place[0]] +
      place[1];
  }

  /** Where a field of plain line `index` ends (exclusive). */
  fieldEnd(index: number, field: MountField): number {
    const at = FIELDS[field][2];
    return this.#starts[index] + this.#offsets[index * OFFSETS + at];
  }

  /**
   * Mount `index` (a new object each time): a plain line's made from its
   * cut, any other's by {@linkcode parseLine}.
   */
  mount(index: number): Mount {
    const start = this.#starts[index];
    if (!this.isPlain(index)) {
      let end = this.#bytes.indexOf(10, start);
      if (end < 0 || end > this.#used) end = this.#used;
      const text = decodeBytes(this.#bytes.subarray(start, end));
      return parseLine(text, { source: "mountinfo", line: index + 1 });
    }
    const at = index * OFFSETS;
    const offsets = this.#offsets;
    // Printable ASCII: its characters are its bytes.
    const text = decodeBytes(
      this.#bytes.subarray(start, start + offsets[at + 7]),
    );
    const field = (name: MountField): string => {
      const place = FIELDS[name];
      return text.slice(
        offsets[at + place[0]] + place[1],
        offsets[at + place[2]],
      );
    };
    const [major, minor] = this.majorMinor(index);
    return {
      id: this.#ids[index],
      parent: this.#parents[index],
      major,
      minor,
      root: field("root"),
      target: field("target"),
      options: field("options"),
      peer: this.peer(index),
      master: this.master(index),
      propagateFrom: this.propagateFrom(index),
      unbindable: this.unbindable(index),
      unknownFields: [],
      fstype: field("fstype"),
      source: field("source"),
      superOptions: field("superOptions"),
    };
  }

  /**
   * Every mount, made ({@linkcode MountTable.mount}).
   *
   * @example
   * ```ts
   * new MountTable().mounts(); // []
   * ```
   */
  mounts(): Mount[] {
    const mounts: Mount[] = new Array(this.#count);
    for (let index = 0; index < this.#count; index++) {
      mounts[index] = this.mount(index);
    }
    return mounts;
  }

  /** A group: a plain line's from `groups`, another's from its mount. */
  #group(
    groups: Int32Array,
    index: number,
    key: "peer" | "master",
  ): number | null {
    if (!this.isPlain(index)) return this.mount(index)[key];
    const group = groups[index];
    return group === NONE ? null : group;
  }

  #reserveBytes(more: number): void {
    const needed = this.#used + more;
    if (needed <= this.#bytes.length) return;
    const bigger = new Uint8Array(
      Math.max(needed, this.#expected, this.#bytes.length * 2),
    );
    bigger.set(this.#bytes.subarray(0, this.#used));
    this.#bytes = bigger;
  }

  /**
   * More room for records, when they are full and the next line is at
   * `start`: twice as many for the first few thousand lines; past them,
   * given the text's size, as many as the lines so far say it will need
   * and a tenth more (an eighth more when that was too few), so that a
   * large file's records are not copied again and again.
   */
  #reserveRecord(start: number): void {
    const capacity = this.#flags.length;
    const size = this.#expected > start && capacity >= SAMPLE_LINES
      ? Math.max(
        Math.ceil(this.#count * this.#expected / start * 1.1) + 64,
        Math.ceil(capacity * 1.125),
      )
      : capacity * 2;
    const grow = <
      T extends
        | Uint8Array
        | Uint16Array
        | Uint32Array
        | Int32Array,
    >(
      array: T,
      per = 1,
    ): T => {
      const bigger = new (array.constructor as new (length: number) => T)(
        size * per,
      );
      bigger.set(array);
      return bigger;
    };
    this.#starts = grow(this.#starts);
    this.#offsets = grow(this.#offsets, OFFSETS);
    this.#ids = grow(this.#ids);
    this.#parents = grow(this.#parents);
    this.#peers = grow(this.#peers);
    this.#masters = grow(this.#masters);
    this.#flags = grow(this.#flags);
  }

  /**
   * Records line `index`, at bytes [start, end), that is not plain: parsed
   * as text, which throws for a line that is not mountinfo.
   */
  #addText(
    where: {
      index: number;
      start: number;
      end: number;
      source: string;
      line: number;
    },
  ): void {
    const { index, start, end, source, line } = where;
    const mount = parseLine(decodeBytes(this.#bytes.subarray(start, end)), {
      source,
      line,
    });
    const big = mount.id >= NO_ID || mount.parent >= NO_ID;
    this.#ids[index] = big ? NO_ID : mount.id;
    this.#parents[index] = big ? NO_ID : mount.parent;
    this.#flags[index] = big ? BIG_ID : 0;
  }

  /**
   * Cuts the line at `start` (ending at its newline or at `stop`) where
   * {@linkcode parseLine} would and records it as line `index`, when it is
   * plain and usual; returns where it ends, or -1 (nothing recorded but its
   * start) for any other line.
   */
  #cutPlain(index: number, start: number, stop: number): number {
    const bytes = this.#bytes;
    // One pass to the newline: printable ASCII without a backslash, and
    // where the spaces are (a line with more is left to text).
    const spaces = SPACES;
    let count = 0;
    let end = start;
    for (; end < stop; end++) {
      const byte = bytes[end];
      if (byte === 0x20) {
        if (count === spaces.length) return -1;
        spaces[count++] = end;
      } else if (byte < 0x20 || byte > 0x7e || byte === 0x5c) {
        if (byte === 0x0a) break;
        return -1;
      }
    }
    if (end - start > 0xffff) return -1;
    // The separator: the first ` - `.
    let dash = 0;
    while (
      dash + 1 < count &&
      (spaces[dash + 1] !== spaces[dash] + 2 ||
        bytes[spaces[dash] + 1] !== 0x2d)
    ) {
      dash++;
    }
    // Six spaces before it, and three after it: the one of ` - `, the
    // type's and the source's.
    if (dash < 5 || count !== dash + 4) return -1;
    const s0 = spaces[0];
    const s1 = spaces[1];
    const s2 = spaces[2];
    const s3 = spaces[3];
    const s4 = spaces[4];
    const s5 = spaces[5];
    const separator = spaces[dash];
    const fsEnd = spaces[dash + 2];
    const sourceEnd = spaces[dash + 3];
    if (
      s0 <= start || s1 <= s0 + 1 || s2 <= s1 + 1 || s3 <= s2 + 1 ||
      s4 <= s3 + 1 || s4 >= separator || s5 <= s4 + 1 ||
      fsEnd <= separator + 3 || sourceEnd <= fsEnd + 1 || sourceEnd + 1 >= end
    ) {
      return -1;
    }
    // One colon in the device, major:minor.
    let colon = -1;
    for (let at = s1 + 1; at < s2; at++) {
      if (bytes[at] !== 0x3a) continue;
      if (colon >= 0) return -1;
      colon = at;
    }
    if (colon < 0) return -1;
    const id = digitsIn(bytes, start, s0);
    const parent = digitsIn(bytes, s0 + 1, s1);
    if (
      id < 0 || parent < 0 || id >= NO_ID || parent >= NO_ID ||
      digitsIn(bytes, s1 + 1, colon) < 0 || digitsIn(bytes, colon + 1, s2) < 0
    ) {
      return -1;
    }
    let peer = NONE;
    let master = NONE;
    let from = NONE;
    let flags = PLAIN;
    // The optional fields, each known, its number 1 to 15 digits below
    // 2^31: any other line is parsed as text.
    for (let field = 5; field < dash; field++) {
      const fieldStart = spaces[field] + 1;
      const fieldEnd = spaces[field + 1];
      const tag = tagAt(bytes, fieldStart, fieldEnd);
      if (tag === "unbindable") flags |= UNBINDABLE;
      else if (tag !== "") {
        const value = digitsIn(bytes, fieldStart + tag.length + 1, fieldEnd);
        if (value < 0 || value > 0x7fffffff) return -1;
        if (tag === "shared") peer = value;
        else if (tag === "master") master = value;
        else from = value;
      } else if (fieldEnd > fieldStart) return -1;
    }
    const offsets = this.#offsets;
    const at = index * OFFSETS;
    offsets[at] = s2 - start;
    offsets[at + 1] = s3 - start;
    offsets[at + 2] = s4 - start;
    offsets[at + 3] = s5 - start;
    offsets[at + 4] = separator - start;
    offsets[at + 5] = fsEnd - start;
    offsets[at + 6] = sourceEnd - start;
    offsets[at + 7] = end - start;
    this.#ids[index] = id;
    this.#parents[index] = parent;
    this.#peers[index] = peer;
    this.#masters[index] = master;
    if (from !== NONE) this.#froms.set(index, from);
    this.#flags[index] = flags;
    return end;
  }
}

/**
 * Parses mountinfo text whole: every mount, in order. Linear in its size;
 * a malformed line throws a {@linkcode MountinfoError} naming its line
 * number.
 *
 * @example
 * ```ts
 * const mounts = parseMountinfo(
 *   "22 1 0:21 / /proc rw,nosuid shared:5 - proc proc rw\n",
 * );
 * mounts[0].peer; // 5
 * ```
 */
export function parseMountinfo(
  text: string,
  where: { source?: string; firstLine?: number } = {},
): Mount[] {
  const table = new MountTable();
  table.append({
    bytes: encodeBytes(text),
    source: where.source ?? "mountinfo",
    firstLine: where.firstLine ?? 1,
  });
  return table.mounts();
}

/** Where a line's spaces are, while it is cut. */
const SPACES = new Int32Array(64);

/** The number in digits bytes [start, end). */
function numberAt(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let at = start; at < end; at++) value = value * 10 + bytes[at] - 48;
  return value;
}

/**
 * The number in bytes [start, end) when it is 1 to {@linkcode MAX_DIGITS}
 * decimal digits; -1 otherwise.
 */
function digitsIn(bytes: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > MAX_DIGITS) return -1;
  let value = 0;
  for (let at = start; at < end; at++) {
    const digit = bytes[at] - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The known optional field at bytes [start, end): `unbindable`, or the tag
 * of `shared:`, `master:`, `propagate_from:` (its number follows); `""`
 * for anything else. Told apart by the first byte: one test a field, as
 * the tags begin with different letters.
 */
function tagAt(
  bytes: Uint8Array,
  start: number,
  end: number,
): "unbindable" | "shared" | "master" | "propagate_from" | "" {
  const length = end - start;
  switch (bytes[start]) {
    case 0x73:
      return length > 7 && startsWith(bytes, start, "shared:") ? "shared" : "";
    case 0x6d:
      return length > 7 && startsWith(bytes, start, "master:") ? "master" : "";
    case 0x70:
      return length > 15 && startsWith(bytes, start, "propagate_from:")
        ? "propagate_from"
        : "";
    case 0x75:
      return length === 10 && startsWith(bytes, start, "unbindable")
        ? "unbindable"
        : "";
  }
  return "";
}

function startsWith(bytes: Uint8Array, start: number, word: string): boolean {
  for (let index = 0; index < word.length; index++) {
    if (bytes[start + index] !== word.charCodeAt(index)) return false;
  }
  return true;
}
