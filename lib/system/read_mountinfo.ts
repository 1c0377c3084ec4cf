/**
 * Reading mountinfo: this process's, another's (`/proc/PID/mountinfo`), or
 * a saved file, bounded, decoded byte for byte (lib/bytes.ts) and parsed by
 * the one scanner (lib/mount/mount_table.ts).
 *
 * @module
 */

import { type Mount, MountinfoError } from "../mount/mountinfo.ts";
import { notRegularFile, readBoundedLines } from "./bounded_file.ts";
import { MountTable } from "../mount/mount_table.ts";
import { hugePageRoom } from "./huge_page_room.ts";
import { joinKeptNamespace } from "./kept_namespace.ts";
import { isProcMounted, PROC_MISSING } from "./proc.ts";

/** Where to read mountinfo from. */
export type MountinfoSource =
  | { kind: "self" }
  | { kind: "pid"; pid: number }
  | { kind: "file"; path: string }
  /** The mount namespace kept at `path` (joined to be read). */
  | { kind: "ns"; path: string };

/**
 * The path a {@linkcode MountinfoSource} is read from.
 *
 * @example
 * ```ts
 * mountinfoPath({ kind: "pid", pid: 1 }); // "/proc/1/mountinfo"
 * ```
 */
export function mountinfoPath(source: MountinfoSource): string {
  switch (source.kind) {
    case "self":
    case "ns":
      return "/proc/self/mountinfo";
    case "pid":
      return `/proc/${source.pid}/mountinfo`;
    case "file":
      return source.path;
  }
}

/** Reading mountinfo failed: the file is missing, unreadable, or malformed. */
export class MountinfoReadError extends Error {
  /**
   * Says what could not be read and what to do.
   *
   * @example
   * ```ts
   * throw new MountinfoReadError("/proc/9/mountinfo: no such process");
   * ```
   */
  constructor(message: string) {
    super(message);
    this.name = "MountinfoReadError";
  }
}

/**
 * The most mountinfo mntns reads: 256 MiB. A line is about 100 bytes, and
 * the kernel allows 100,000 mounts a namespace by default (fs.mount-max),
 * so a real one is far smaller; the bound keeps `--mountinfo` of a huge or
 * endless file from eating the machine's memory.
 */
export const MOUNTINFO_MAX_BYTES: number = 256 * 1024 * 1024;

const MAX_MIB = MOUNTINFO_MAX_BYTES / (1024 * 1024);

/**
 * Reads and parses mountinfo, synchronously: after `unshare(CLONE_NEWNS)`
 * only synchronous reads see the calling thread's mount namespace. A saved
 * file must be a regular file (checked before it is opened: a FIFO would
 * block, a device never end); at most {@linkcode MOUNTINFO_MAX_BYTES} are
 * read; text with no mount in it is refused.
 *
 * @example
 * ```ts
 * const mounts = readMountinfo({ kind: "self" });
 * ```
 */
export function readMountinfo(source: MountinfoSource): Mount[] {
  return readMountTable(source).mounts();
}

/**
 * Reads mountinfo as {@linkcode readMountinfo} does, into the compact
 * {@linkcode MountTable} it makes its mounts from: its bytes once and a few
 * numbers a mount, for a listing of any size.
 *
 * @example
 * ```ts
 * const table = readMountTable({ kind: "self" });
 * table.mount(0).target; // "/"
 * ```
 */
export function readMountTable(source: MountinfoSource): MountTable {
  const path = mountinfoPath(source);
  let table: MountTable | undefined;
  readMountinfoPieces(source, (bytes, line, size) => {
    table ??= new MountTable(size, hugePageRoom);
    return table.append({ bytes, source: path, firstLine: line });
  });
  if (table === undefined || table.length === 0) {
    throw new MountinfoReadError(`no mounts in ${path}`);
  }
  return table;
}

/**
 * Reads mountinfo a piece of whole lines at a time, handing each to
 * `take` with the line number it starts at and the file's size (0 for a
 * file of /proc); `take` returns how many lines the piece held. Failures
 * become a {@linkcode MountinfoReadError} that says what to do; a
 * {@linkcode MountinfoError} of `take` passes.
 */
function readMountinfoPieces(
  source: MountinfoSource,
  take: (bytes: Uint8Array, line: number, size: number) => number,
): void {
  if (source.kind === "ns") joinKeptNamespace(source.path);
  const path = mountinfoPath(source);
  let line = 1;
  let whole: boolean;
  try {
    const size = source.kind === "file" ? regularFileSize(path) : 0;
    whole = readBoundedLines(path, {
      maxBytes: MOUNTINFO_MAX_BYTES,
      take: (bytes) => line += take(bytes, line, size),
    });
  } catch (error) {
    if (error instanceof MountinfoReadError) throw error;
    if (error instanceof MountinfoError) throw error;
    throw new MountinfoReadError(describeReadFailure(source, path, error));
  }
  if (!whole) {
    throw new MountinfoReadError(
      `${path}: more than ${MAX_MIB} MiB — mntns reads at most ${MAX_MIB} MiB of mountinfo; is it a mountinfo file?`,
    );
  }
}

/**
 * A saved mountinfo's size; throws when it is not a regular file, without
 * opening it.
 */
function regularFileSize(path: string): number {
  const info = Deno.statSync(path);
  const kind = notRegularFile(info);
  if (kind === null) return info.size;
  throw new MountinfoReadError(
    kind === "a directory"
      ? `${path}: is a directory — give a saved mountinfo file`
      : `${path}: is ${kind} — save it to a regular file first`,
  );
}

function describeReadFailure(
  source: MountinfoSource,
  path: string,
  error: unknown,
): string {
  if (error instanceof Deno.errors.NotFound) {
    if (source.kind === "file") return `${path}: no such file`;
    if (!isProcMounted()) {
      return `${path}: ${PROC_MISSING}`;
    }
    if (source.kind === "pid") {
      return `${path}: no process with pid ${source.pid}`;
    }
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return `${path}: permission denied — run as root or as the process's owner`;
  }
  // Deno's text, without its "(os error N)" and the path it repeats.
  const text = (error as Error).message.replace(/ \(os error \d+\).*$/s, "");
  return `${path}: cannot be read (${text}) — ${
    source.kind === "file"
      ? "is it a saved mountinfo file?"
      : "is /proc what the kernel mounts there?"
  }`;
}
