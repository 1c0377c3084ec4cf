/**
 * Reading mountinfo: this process's, another's (`/proc/PID/mountinfo`), or
 * a saved file, bounded, decoded byte for byte (lib/bytes.ts) and parsed by
 * the model (lib/mount/mountinfo.ts).
 *
 * @module
 */

import { decodeBytes } from "../bytes.ts";
import {
  appendMountinfo,
  type Mount,
  MountinfoError,
} from "../mount/mountinfo.ts";
import { notRegularFile, readBoundedLines } from "./bounded_file.ts";
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
  if (source.kind === "ns") joinKeptNamespace(source.path);
  const path = mountinfoPath(source);
  const mounts: Mount[] = [];
  let line = 1;
  // A piece at a time, decoded and parsed as it comes: the text is held
  // once (the mounts' fields are cut from it), the bytes never whole.
  const take = (bytes: Uint8Array): void => {
    const text = decodeBytes(bytes);
    line += appendMountinfo({ text, source: path, firstLine: line, mounts });
  };
  let whole: boolean;
  try {
    if (source.kind === "file") refuseIrregularFile(path);
    whole = readBoundedLines(path, { maxBytes: MOUNTINFO_MAX_BYTES, take });
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
  if (mounts.length === 0) {
    throw new MountinfoReadError(`no mounts in ${path}`);
  }
  return mounts;
}

/** Throws when a saved mountinfo is not a regular file, without opening it. */
function refuseIrregularFile(path: string): void {
  const kind = notRegularFile(Deno.statSync(path));
  if (kind === null) return;
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
  return `${path}: ${(error as Error).message}`;
}
