/**
 * Choosing the mountinfo to read from the `--pid N` / `--mountinfo FILE`
 * options, and resolving user paths against it.
 *
 * @module
 */

import { resolve } from "node:path";
import { CommandError, parsePositiveInteger, UsageError } from "./cli.ts";
import type { MountinfoSource } from "./mountinfo.ts";

/**
 * The mountinfo source the options name; `self` when neither is given.
 *
 * @example
 * ```ts
 * sourceFromOptions({ pid: "1" }, "mntns propagation show"); // { kind: "pid", pid: 1 }
 * ```
 */
export function sourceFromOptions(
  values: { pid?: string; mountinfo?: string },
  command: string,
): MountinfoSource {
  if (values.pid !== undefined && values.mountinfo !== undefined) {
    throw new UsageError("--pid and --mountinfo exclude each other", command);
  }
  if (values.pid !== undefined) {
    return {
      kind: "pid",
      pid: parsePositiveInteger(values.pid, { option: "--pid", command }),
    };
  }
  if (values.mountinfo !== undefined) {
    return { kind: "file", path: values.mountinfo };
  }
  return { kind: "self" };
}

/**
 * Makes a user's path absolute and canonical for matching against mount
 * targets. For this process's own mounts the real path (symlinks resolved,
 * and it must exist); for another process's, resolved inside its root
 * (`/proc/N/root`); for a saved file, only normalized.
 *
 * @example
 * ```ts
 * canonicalPath("/proc/self/..", { kind: "self" }); // "/proc"
 * ```
 */
export function canonicalPath(path: string, source: MountinfoSource): string {
  if (source.kind === "file") return resolve("/", path);
  const prefix = source.kind === "pid" ? `/proc/${source.pid}/root` : "";
  const absolute = resolve(path);
  try {
    const real = Deno.realPathSync(prefix + absolute);
    return prefix === "" ? real : resolve("/", real.slice(prefix.length));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new CommandError(`${path}: no such file or directory`);
    }
    throw new CommandError(`${path}: ${(error as Error).message}`);
  }
}
