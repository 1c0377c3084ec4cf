/**
 * The mountinfo model: a line of `/proc/<pid>/mountinfo` and the mount it
 * describes, parsed completely. Whole texts are scanned by
 * lib/mount/mount_table.ts, which hands this parser every line it does not
 * cut itself.
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
 * 64-bit in the kernel; beyond that a JS number would round).
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
 * Parses one line, any line, field by field; throws a
 * {@linkcode MountinfoError} that says what is wrong with it. It takes all
 * the kernel writes: escapes, an empty source (`mount -t tmpfs "" /x` gives
 * two spaces), empty optional fields, fields it does not know. The
 * mountinfo scanner (lib/mount/mount_table.ts) cuts a plain line on its
 * bytes itself and hands every other line here.
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

/** A line's fields as cut, escapes not yet decoded. */
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

/** A {@linkcode Mount} made from a line's fields. */
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
