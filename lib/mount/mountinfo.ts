/**
 * The mountinfo model: `/proc/<pid>/mountinfo`, parsed completely.
 *
 * A line (see proc_pid_mountinfo(5)):
 * `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`
 * mount id, parent id, major:minor, root, mount point, mount options,
 * optional fields up to a lone `-`, filesystem type, source, super options.
 *
 * @module
 */

/** One mount, as one line of mountinfo describes it. */
export interface Mount {
  /** Unique mount id (reused after unmount). */
  id: number;
  /** The parent mount's id (itself, or absent from this namespace, for the root). */
  parent: number;
  /** Device major number. */
  major: number;
  /** Device minor number. */
  minor: number;
  /** The directory of the filesystem that forms this mount's root. */
  root: string;
  /** The mount point, relative to the reader's root. */
  target: string;
  /** Per-mount options (`rw,nosuid,relatime`). */
  options: string;
  /** `shared:N`: the peer group this mount belongs to. */
  peer: number | null;
  /** `master:N`: the peer group this mount receives events from. */
  master: number | null;
  /** `propagate_from:N`: the nearest dominant group it receives from, when the master is not visible. */
  propagateFrom: number | null;
  /** The `unbindable` tag. */
  unbindable: boolean;
  /** Optional fields mntns does not know, kept as they were. */
  unknownFields: string[];
  /** Filesystem type (`ext4`, `fuse.sshfs`). */
  fstype: string;
  /** Filesystem-specific source (`/dev/sda1`, `tmpfs`), or `none`. */
  source: string;
  /** Per-superblock options. */
  superOptions: string;
}

/** A mountinfo line that could not be parsed. */
export class MountinfoError extends Error {
  /**
   * Names the file and line that failed.
   *
   * @example
   * ```ts
   * throw new MountinfoError("/proc/self/mountinfo", 3, "no ' - ' separator");
   * ```
   */
  constructor(source: string, line: number, reason: string) {
    super(`${source}: line ${line}: ${reason}`);
    this.name = "MountinfoError";
  }
}

const ESCAPE = /\\([0-7]{3})/g;

/**
 * Decodes the octal escapes the kernel writes for space, tab, newline and
 * backslash (`\040`, `\011`, `\012`, `\134`).
 *
 * @example
 * ```ts
 * decodeOctalEscapes("/mnt/my\\040disk"); // "/mnt/my disk"
 * ```
 */
export function decodeOctalEscapes(field: string): string {
  if (!field.includes("\\")) return field;
  return field.replace(
    ESCAPE,
    (_, octal: string) => String.fromCharCode(parseInt(octal, 8)),
  );
}

/** The most a number in mountinfo may be: 2^53 - 1, exact in a JS number. */
const MAX_NUMBER_TEXT = String(Number.MAX_SAFE_INTEGER);

/** Decimal digits only: no sign, no exponent, no hex. */
const DIGITS = /^[0-9]+$/;

/**
 * A number field: decimal digits only, at most 2^53 - 1 (mount ids are
 * 64-bit in the kernel; beyond that a JS number would round). Both parsing
 * paths read every number through here, so they refuse alike.
 */
function parseId(
  text: string,
  what: string,
  where: { source: string; line: number },
): number {
  if (!DIGITS.test(text)) {
    throw new MountinfoError(
      where.source,
      where.line,
      `${what} ${JSON.stringify(text)} is not a number`,
    );
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new MountinfoError(
      where.source,
      where.line,
      `${what} ${text} is over ${MAX_NUMBER_TEXT} (2^53-1), the largest number mntns reads exactly`,
    );
  }
  return value;
}

/**
 * Parses mountinfo text. Linear in its size; a malformed line throws a
 * {@linkcode MountinfoError} naming its line number.
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
  source = "mountinfo",
): Mount[] {
  const mounts: Mount[] = [];
  appendMountinfo({ text, source, firstLine: 1, mounts });
  return mounts;
}

/** What {@linkcode appendMountinfo} takes. */
export interface MountinfoPiece {
  /** Whole lines of mountinfo (the last one's newline may be missing). */
  text: string;
  /** The file they come from, for errors. */
  source: string;
  /** The line number of the text's first line in that file. */
  firstLine: number;
  /** Where the mounts go, in order. */
  mounts: Mount[];
}

/**
 * Parses a piece of mountinfo text (whole lines) onto the end of `mounts`,
 * so that a large file can be read and parsed a piece at a time; returns
 * the number of lines it held. Lines are cut by offset, not copied.
 *
 * @example
 * ```ts
 * const mounts: Mount[] = [];
 * appendMountinfo({
 *   text: "22 1 0:21 / /proc rw - proc proc rw\n",
 *   source: "mountinfo",
 *   firstLine: 1,
 *   mounts,
 * }); // 1
 * ```
 */
export function appendMountinfo(piece: MountinfoPiece): number {
  const { text, source, mounts } = piece;
  let line = piece.firstLine;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (end > start) {
      mounts.push(
        parseUsualLine(text, { start, end, source, line }) ??
          parseLine(text.slice(start, end), { source, line }),
      );
    }
    start = end + 1;
    line++;
  }
  return line - piece.firstLine;
}

/**
 * The fast path: a usual line, cut by hand without copying it (twice as
 * fast as a regex match a line, cold); null for anything unusual, which
 * {@linkcode parseLine} then parses or explains. Where it returns a mount,
 * {@linkcode parseLine} returns the same one, and where it throws, it throws
 * the same error (lib/mount/mountinfo_fuzz_test.ts checks both on mutated
 * lines); exported for that test.
 *
 * @example
 * ```ts
 * parseWellFormedLine("1 0 0:1 / / rw - ext4 /dev/vda rw", { source: "x", line: 1 })?.id; // 1
 * parseWellFormedLine("1 0 0:1 / / rw - ext4  rw", { source: "x", line: 1 }); // null (empty source)
 * ```
 */
export function parseWellFormedLine(
  line: string,
  where: { source: string; line: number },
): Mount | null {
  return parseUsualLine(line, { start: 0, end: line.length, ...where });
}

/** A line of a text: its offsets, and where it is for errors. */
interface LineAt {
  start: number;
  end: number;
  source: string;
  line: number;
}

/**
 * The number in `text[start, end)` when it is 1 to 15 decimal digits (below
 * 2^53, so exact), -1 when it is more digits (for {@linkcode parseId} to
 * read or refuse), -2 when it is not digits.
 */
function digitsAt(text: string, start: number, end: number): number {
  if (end <= start) return -2;
  let value = 0;
  for (let at = start; at < end; at++) {
    const digit = text.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) return -2;
    value = value * 10 + digit;
  }
  return end - start < 16 ? value : -1;
}

/**
 * A number of {@linkcode parseUsualLine}: null when it is not digits (the
 * slow path then says so); long digits go through {@linkcode parseId},
 * which refuses what is past 2^53 - 1.
 */
function usualNumber(
  text: string,
  range: { start: number; end: number; what: string; at: LineAt },
): number | null {
  const value = digitsAt(text, range.start, range.end);
  if (value >= 0) return value;
  if (value === -2) return null;
  const { source, line } = range.at;
  return parseId(text.slice(range.start, range.end), range.what, {
    source,
    line,
  });
}

/**
 * Cuts a line where {@linkcode parseLine} would, without slicing the line:
 * null where a field is empty, the super options hold a space, or a number
 * is not digits. Numbers are read in parseLine's order, so that both refuse
 * alike.
 */
function parseUsualLine(text: string, at: LineAt): Mount | null {
  const { start, end } = at;
  const separator = text.indexOf(" - ", start);
  if (separator < 0 || separator + 3 > end) return null;
  const s0 = text.indexOf(" ", start);
  const s1 = text.indexOf(" ", s0 + 1);
  const s2 = text.indexOf(" ", s1 + 1);
  const s3 = text.indexOf(" ", s2 + 1);
  const s4 = text.indexOf(" ", s3 + 1);
  // The options end at the next space: the separator's, at the latest.
  const s5 = text.indexOf(" ", s4 + 1);
  if (
    s0 <= start || s1 <= s0 + 1 || s2 <= s1 + 1 || s3 <= s2 + 1 ||
    s4 <= s3 + 1 || s4 >= separator || s5 <= s4 + 1
  ) {
    return null;
  }
  const fsEnd = text.indexOf(" ", separator + 3);
  const sourceEnd = text.indexOf(" ", fsEnd + 1);
  if (
    fsEnd <= separator + 3 || sourceEnd <= fsEnd + 1 || sourceEnd + 1 >= end
  ) {
    return null;
  }
  const extra = text.indexOf(" ", sourceEnd + 1);
  if (extra >= 0 && extra < end) return null;
  const colon = text.indexOf(":", s1 + 1);
  if (colon < 0 || colon > s2) return null;
  const second = text.indexOf(":", colon + 1);
  if (second >= 0 && second < s2) return null;
  // In parseLine's order, so that both refuse alike.
  const numbers = [
    [start, s0, "mount id"],
    [s0 + 1, s1, "parent id"],
    [s1 + 1, colon, "major"],
    [colon + 1, s2, "minor"],
  ] as const;
  const values = [0, 0, 0, 0];
  for (let index = 0; index < numbers.length; index++) {
    const [from, to, what] = numbers[index];
    const value = usualNumber(text, { start: from, end: to, what, at });
    if (value === null) return null;
    values[index] = value;
  }
  const [id, parent, major, minor] = values;
  const mount: Mount = {
    id,
    parent,
    major,
    minor,
    root: decodeOctalEscapes(text.slice(s2 + 1, s3)),
    target: decodeOctalEscapes(text.slice(s3 + 1, s4)),
    options: text.slice(s4 + 1, s5),
    peer: null,
    master: null,
    propagateFrom: null,
    unbindable: false,
    unknownFields: [],
    fstype: decodeOctalEscapes(text.slice(separator + 3, fsEnd)),
    source: decodeOctalEscapes(text.slice(fsEnd + 1, sourceEnd)),
    superOptions: decodeOctalEscapes(text.slice(sourceEnd + 1, end)),
  };
  if (s5 < separator) {
    const where = { source: at.source, line: at.line };
    for (const field of text.slice(s5 + 1, separator).split(" ")) {
      readOptionalField(mount, field, where);
    }
  }
  return mount;
}

/**
 * The offsets of the first `count` spaces in `text` from `from`, or null
 * when there are fewer. (Scanning with indexOf is several times faster than
 * `split(" ")` for a cold parse of 20,000 lines.)
 */
function spaces(text: string, count: number): number[] | null {
  const found: number[] = new Array(count);
  let at = -1;
  for (let index = 0; index < count; index++) {
    at = text.indexOf(" ", at + 1);
    if (at < 0) return null;
    found[index] = at;
  }
  return found;
}

/**
 * The slow path: any line, scanned field by field; throws a
 * {@linkcode MountinfoError} that says what is wrong with it. It takes what
 * the kernel writes and {@linkcode parseWellFormedLine} does not: an empty
 * source (`mount -t tmpfs "" /x` gives two spaces), empty optional fields.
 * Exported for the test that compares the two paths.
 *
 * @example
 * ```ts
 * parseLine("1 0 0:1 / / rw - tmpfs  rw", { source: "x", line: 1 }).source; // ""
 * ```
 */
export function parseLine(
  line: string,
  where: { source: string; line: number },
): Mount {
  const fail = (reason: string): never => {
    throw new MountinfoError(where.source, where.line, reason);
  };
  // Spaces inside fields are escaped (\040), so " - " is the separator.
  const separator = line.indexOf(" - ");
  if (separator < 0) fail("no ' - ' separator before the filesystem type");
  const head = line.slice(0, separator);
  const tail = line.slice(separator + 3);
  const cut = spaces(head + " ", 6);
  if (cut === null) {
    fail(`expected 6 fields before ' - ', found ${head.split(" ").length}`);
  }
  const at = cut!;
  const tailCut = spaces(tail, 2);
  if (tailCut === null) {
    fail("expected filesystem type, source and super options after ' - '");
  }
  const [fsEnd, sourceEnd] = tailCut!;
  const device = head.slice(at[1] + 1, at[2]);
  const colon = device.indexOf(":");
  if (colon < 0 || device.indexOf(":", colon + 1) >= 0) {
    fail(`device ${JSON.stringify(device)} is not major:minor`);
  }
  return mountFromFields({
    id: parseId(head.slice(0, at[0]), "mount id", where),
    parent: parseId(head.slice(at[0] + 1, at[1]), "parent id", where),
    major: parseId(device.slice(0, colon), "major", where),
    minor: parseId(device.slice(colon + 1), "minor", where),
    root: head.slice(at[2] + 1, at[3]),
    target: head.slice(at[3] + 1, at[4]),
    options: head.slice(at[4] + 1, at[5]),
    optional: at[5] < head.length ? head.slice(at[5] + 1) : "",
    fstype: tail.slice(0, fsEnd),
    source: tail.slice(fsEnd + 1, sourceEnd),
    superOptions: tail.slice(sourceEnd + 1),
  }, where);
}

/** A line's fields as both parsing paths cut them, escapes not yet decoded. */
type LineFields =
  & Pick<
    Mount,
    | "id"
    | "parent"
    | "major"
    | "minor"
    | "root"
    | "target"
    | "options"
    | "fstype"
    | "source"
    | "superOptions"
  >
  & {
    /** The optional fields, space-separated; `""` when there are none. */
    optional: string;
  };

/** The one place a {@linkcode Mount} is made from a line's fields. */
function mountFromFields(
  fields: LineFields,
  where: { source: string; line: number },
): Mount {
  const { optional, ...rest } = fields;
  const mount: Mount = {
    ...rest,
    root: decodeOctalEscapes(fields.root),
    target: decodeOctalEscapes(fields.target),
    peer: null,
    master: null,
    propagateFrom: null,
    unbindable: false,
    unknownFields: [],
    fstype: decodeOctalEscapes(fields.fstype),
    source: decodeOctalEscapes(fields.source),
    superOptions: decodeOctalEscapes(fields.superOptions),
  };
  if (optional !== "") {
    for (const field of optional.split(" ")) {
      readOptionalField(mount, field, where);
    }
  }
  return mount;
}

function readOptionalField(
  mount: Mount,
  field: string,
  where: { source: string; line: number },
): void {
  if (field === "") return;
  if (field === "unbindable") {
    mount.unbindable = true;
    return;
  }
  const colon = field.indexOf(":");
  const tag = colon < 0 ? field : field.slice(0, colon);
  const value = field.slice(colon + 1);
  switch (tag) {
    case "shared":
      mount.peer = parseId(value, "shared", where);
      return;
    case "master":
      mount.master = parseId(value, "master", where);
      return;
    case "propagate_from":
      mount.propagateFrom = parseId(value, "propagate_from", where);
      return;
    default:
      mount.unknownFields.push(field);
  }
}
