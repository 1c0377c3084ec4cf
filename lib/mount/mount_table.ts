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

/**
 * A short line's bytes, for the room records are given at once: few lines
 * are shorter (`22 1 0:21 / /proc rw shared:5 - proc proc rw` is 45).
 */
const SHORT_LINE_BYTES = 40;

/** The room a text of unknown size (a /proc file) gets at first. */
const FIRST_BYTES = 64 * 1024;

/**
 * The room a text of unknown size gets once it outgrows
 * {@linkcode FIRST_BYTES} (a /proc file comes 4 KiB a read): 20,000 mounts
 * are about 2 MiB. Room never written is never touched, so it costs address
 * space, not memory. Grown by copies as the reads came (the text fourfold,
 * the records twofold from 64), a large table took an eighth longer to read.
 * A small table does not get it: many are read and dropped (`peers
 * --all-namespaces`), and V8 collects sooner the more is allocated.
 */
const LARGE_TEXT_BYTES = 4 * 1024 * 1024;

/**
 * A record's bytes: its start, id, parent, peer and master groups (4 each),
 * its offsets (2 each) and its flags.
 */
const RECORD_BYTES = 5 * 4 + OFFSETS * 2 + 1;

/** How many lines are read before the record count is estimated. */
const SAMPLE_LINES = 4096;

/** Longest run of digits read as a number here: below 2^53, so exact. */
const MAX_DIGITS = 15;

/** Makes `size` zeroed bytes: the room a table's text grows into. */
export type RoomMaker = (size: number) => Uint8Array;

/** Room as `new Uint8Array(size)` makes it. */
const plainRoom: RoomMaker = (size) => new Uint8Array(size);

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
  /** How many lines have an id or parent id past the ids' array. */
  #bigIdLines = 0;
  #room: RoomMaker;

  /**
   * An empty table; `expectedBytes` (a file's size), when known, sizes it
   * at once, so that a large file is not copied as the table grows; 0 (not
   * known) gives it {@linkcode FIRST_BYTES}. `room` makes the memory its
   * text grows into past that (lib/system/huge_page_room.ts, for a table
   * read from /proc); a size given is allocated as it is.
   *
   * @example
   * ```ts
   * new MountTable(2 * 1024 * 1024).length; // 0
   * ```
   */
  constructor(expectedBytes = 0, room: RoomMaker = plainRoom) {
    this.#expected = expectedBytes;
    this.#room = room;
    this.#bytes = new Uint8Array(
      expectedBytes > 0 ? expectedBytes : FIRST_BYTES,
    );
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
    return this.#cutLines({
      start: base,
      stop: base + given.length,
      source,
      firstLine: piece.firstLine,
    });
  }

  /**
   * Every mount's id, by index: the table's own array (not to be written)
   * unless some id is too large for it.
   *
   * @example
   * ```ts
   * const table = new MountTable();
   * table.append({
   *   bytes: new TextEncoder().encode("7 1 0:1 / / rw - ext4 a rw\n"),
   *   source: "mountinfo",
   *   firstLine: 1,
   * });
   * table.ids(); // Uint32Array [7]
   * ```
   */
  ids(): ArrayLike<number> {
    return this.#exact(this.#ids, (index) => this.id(index));
  }

  /**
   * Every mount's parent id, by index, as {@linkcode MountTable.ids}.
   *
   * @example
   * ```ts
   * declare const table: MountTable; // holding "7 1 0:1 / / rw - ext4 a rw\n"
   * table.parents(); // Uint32Array [1]
   * ```
   */
  parents(): ArrayLike<number> {
    return this.#exact(this.#parents, (index) => this.parent(index));
  }

  /** `numbers` cut to the table's length, or, with a big id, each one read. */
  #exact(
    numbers: Uint32Array,
    read: (index: number) => number,
  ): ArrayLike<number> {
    if (this.#bigIdLines === 0) return numbers.subarray(0, this.#count);
    const exact = new Float64Array(this.#count);
    for (let index = 0; index < exact.length; index++) {
      exact[index] = read(index);
    }
    return exact;
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

  /**
   * Room for `more` bytes of text, when the room given at first (the file's
   * size, or {@linkcode FIRST_BYTES}) is full: {@linkcode LARGE_TEXT_BYTES}
   * at least, and four times as much, so that a large text read a piece at
   * a time is copied once or twice, not at every piece.
   */
  #reserveBytes(more: number): void {
    const needed = this.#used + more;
    if (needed <= this.#bytes.length) return;
    const bigger = this.#room(
      Math.max(
        needed,
        this.#expected,
        this.#bytes.length * 4,
        LARGE_TEXT_BYTES,
      ),
    );
    bigger.set(this.#bytes.subarray(0, this.#used));
    this.#bytes = bigger;
  }

  /**
   * More room for records, when they are full and the next line is at
   * byte `start` of the text: for the first few thousand lines, twice as
   * many or enough for the lines the room for text holds if they were all
   * short ({@linkcode SHORT_LINE_BYTES}), whichever is more; past
   * them, given the text's size, as many as the lines so far say it will
   * need and a tenth more (an eighth more when that was too few), so that a
   * large file's records are not copied again and again.
   */
  #reserveRecord(start: number): void {
    const capacity = this.#flags.length;
    const size = this.#expected > start && capacity >= SAMPLE_LINES
      ? Math.max(
        Math.ceil(this.#count * this.#expected / start * 1.1) + 64,
        Math.ceil(capacity * 1.125),
      )
      : Math.max(
        capacity * 2,
        this.#count +
          Math.ceil((this.#bytes.length - start) / SHORT_LINE_BYTES),
      );
    // One buffer for all seven arrays (4-byte ones first, for alignment):
    // one large allocation is mapped, and zeroed by the kernel page by page
    // as it is written, where seven smaller ones were each cleared at once.
    const buffer = new ArrayBuffer(size * RECORD_BYTES);
    let at = 0;
    const grow = <
      T extends Uint8Array | Uint16Array | Uint32Array | Int32Array,
    >(
      array: T,
      per = 1,
    ): T => {
      const Kind = array.constructor as new (
        buffer: ArrayBuffer,
        offset: number,
        length: number,
      ) => T;
      const bigger = new Kind(buffer, at, size * per);
      at += size * per * array.BYTES_PER_ELEMENT;
      bigger.set(array);
      return bigger;
    };
    this.#starts = grow(this.#starts);
    this.#ids = grow(this.#ids);
    this.#parents = grow(this.#parents);
    this.#peers = grow(this.#peers);
    this.#masters = grow(this.#masters);
    this.#offsets = grow(this.#offsets, OFFSETS);
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
    if (big) this.#bigIdLines++;
    this.#ids[index] = big ? NO_ID : mount.id;
    this.#parents[index] = big ? NO_ID : mount.parent;
    this.#flags[index] = big ? BIG_ID : 0;
  }

  /**
   * Records the lines in bytes [start, stop) and returns how many there
   * were: a plain usual line is cut here, on its bytes, where
   * {@linkcode parseLine} would cut it; any other is parsed as text
   * (`#addText`). It is one loop that calls nothing for a plain line, the
   * digits read and the tags matched in place: it runs for every line of a
   * large table while the JIT is still compiling it, when a call costs most
   * (in a prototype, a few calls a line made the parse take twice as long).
   */
  #cutLines(
    range: { start: number; stop: number; source: string; firstLine: number },
  ): number {
    const { stop, source, firstLine } = range;
    const bytes = this.#bytes;
    const spaces = SPACES;
    const numbers = NUMBERS;
    const bounds = NUMBER_BOUNDS;
    let line = firstLine;
    let start = range.start;
    while (start < stop) {
      if (bytes[start] === 0x0a) {
        start++;
        line++;
        continue;
      }
      if (this.#count === this.#flags.length) {
        this.#reserveRecord(start);
      }
      const index = this.#count++;
      this.#starts[index] = start;
      cut: {
        // One pass to the newline: printable ASCII without a backslash,
        // and where the spaces are (a line with more is left to text).
        let count = 0;
        let end = start;
        for (; end < stop; end++) {
          const byte = bytes[end];
          if (byte === 0x20) {
            if (count === spaces.length) break cut;
            spaces[count++] = end;
          } else if (byte < 0x20 || byte > 0x7e || byte === 0x5c) {
            if (byte === 0x0a) break;
            break cut;
          }
        }
        if (end - start > 0xffff) break cut;
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
        if (dash < 5 || count !== dash + 4) break cut;
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
          fsEnd <= separator + 3 || sourceEnd <= fsEnd + 1 ||
          sourceEnd + 1 >= end
        ) {
          break cut;
        }
        // One colon in the device, major:minor.
        let colon = -1;
        for (let at = s1 + 1; at < s2; at++) {
          if (bytes[at] !== 0x3a) continue;
          if (colon >= 0) break cut;
          colon = at;
        }
        if (colon < 0) break cut;
        // The id, the parent id, the major and the minor: 1 to
        // MAX_DIGITS digits each.
        bounds[0] = start;
        bounds[1] = s0;
        bounds[2] = s0 + 1;
        bounds[3] = s1;
        bounds[4] = s1 + 1;
        bounds[5] = colon;
        bounds[6] = colon + 1;
        bounds[7] = s2;
        for (let number = 0; number < 4; number++) {
          const from = bounds[2 * number];
          const to = bounds[2 * number + 1];
          if (to <= from || to - from > MAX_DIGITS) break cut;
          let value = 0;
          for (let at = from; at < to; at++) {
            const digit = bytes[at] - 0x30;
            if (digit < 0 || digit > 9) break cut;
            value = value * 10 + digit;
          }
          numbers[number] = value;
        }
        const id = numbers[0];
        const parent = numbers[1];
        if (id >= NO_ID || parent >= NO_ID) break cut;
        let peer = NONE;
        let master = NONE;
        let from = NONE;
        let flags = PLAIN;
        // The optional fields, each known (told apart by its first byte),
        // its number 1 to MAX_DIGITS digits below 2^31: any other line is
        // parsed as text. An empty one (two spaces) is passed over.
        for (let field = 5; field < dash; field++) {
          const fieldStart = spaces[field] + 1;
          const fieldEnd = spaces[field + 1];
          if (fieldEnd === fieldStart) continue;
          const first = bytes[fieldStart];
          const tag = first === 0x73
            ? SHARED
            : first === 0x6d
            ? MASTER
            : first === 0x70
            ? PROPAGATE_FROM
            : first === 0x75
            ? UNBINDABLE_TAG
            : -1;
          if (tag < 0) break cut;
          const word = TAG_BYTES[tag];
          const digits = fieldEnd - fieldStart - word.length;
          if (
            tag === UNBINDABLE_TAG
              ? digits !== 0
              : digits < 1 || digits > MAX_DIGITS
          ) {
            break cut;
          }
          for (let at = 1; at < word.length; at++) {
            if (bytes[fieldStart + at] !== word[at]) break cut;
          }
          if (tag === UNBINDABLE_TAG) {
            flags |= UNBINDABLE;
            continue;
          }
          let value = 0;
          for (let at = fieldStart + word.length; at < fieldEnd; at++) {
            const digit = bytes[at] - 0x30;
            if (digit < 0 || digit > 9) break cut;
            value = value * 10 + digit;
          }
          if (value > 0x7fffffff) break cut;
          if (tag === SHARED) peer = value;
          else if (tag === MASTER) master = value;
          else from = value;
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
        start = end + 1;
        line++;
        continue;
      }
      // Not plain: parsed as text, which throws for a line that is not
      // mountinfo.
      let end = bytes.indexOf(0x0a, start);
      if (end < 0 || end > stop) end = stop;
      this.#addText({ index, start, end, source, line });
      start = end + 1;
      line++;
    }
    return line - firstLine;
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
  const bytes = encodeBytes(text);
  const table = new MountTable(bytes.length);
  table.append({
    bytes,
    source: where.source ?? "mountinfo",
    firstLine: where.firstLine ?? 1,
  });
  return table.mounts();
}

/** Where a line's spaces are, while it is cut. */
const SPACES = new Int32Array(64);

/** Where a line's id, parent, major and minor start and end, while it is cut. */
const NUMBER_BOUNDS = new Int32Array(8);

/** A line's id, parent, major and minor, while it is cut (up to 15 digits). */
const NUMBERS = new Float64Array(4);

/** The known optional fields, by their index in {@linkcode TAG_BYTES}. */
const SHARED = 0;
const MASTER = 1;
const PROPAGATE_FROM = 2;
const UNBINDABLE_TAG = 3;

/** Each known optional field's word, as bytes: a number follows the colon. */
const TAG_BYTES = ["shared:", "master:", "propagate_from:", "unbindable"].map(
  (word) => encodeBytes(word),
);

/** The number in digits bytes [start, end). */
function numberAt(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let at = start; at < end; at++) value = value * 10 + bytes[at] - 48;
  return value;
}
