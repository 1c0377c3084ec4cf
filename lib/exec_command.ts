/**
 * Replacing this process with the user's command, as `execvp(3)` would, with
 * a clean signal state and nothing of Deno's own left behind.
 *
 * File descriptors: every descriptor Deno opens itself is close-on-exec (its
 * event loop, caches and duplicated stdio), so the command inherits exactly
 * those its caller passed. Signals: see {@linkcode resetSignals}.
 *
 * @module
 */

import { errnoName, errnoText } from "../ffi/errno.ts";
import { execve, resetSignals } from "../ffi/syscalls.ts";
import { writeErr } from "./output.ts";
import { CHANGEABLE_SIGNALS, inMask, signalMask } from "./signals.ts";

/** What to execute. */
export interface ExecTarget {
  /** argv, argv[0] included; argv[0] is also the file, searched in PATH when it has no slash. */
  argv: readonly string[];
  /** The environment as `K=V` strings; omitted: this process's own, untouched. */
  env?: readonly string[];
  /** The file to run when it is not argv[0] (a login shell's `-sh`). */
  file?: string;
}

const ENOENT = 2;
const EACCES = 13;
const ENOTDIR = 20;

/** The exit status util-linux gives when a command cannot be found. */
export const EXIT_NOT_FOUND = 127;
/** The exit status util-linux gives when a command cannot be executed. */
export const EXIT_CANNOT_EXECUTE = 126;

function searchPath(env: readonly string[] | undefined): string {
  const entry = env
    ? env.findLast((item) => item.startsWith("PATH="))?.slice(5)
    : Deno.env.get("PATH");
  return entry ?? "/bin:/usr/bin";
}

/**
 * The signals this process ignores (SigIgn); all that can change when that
 * cannot be read (no /proc).
 */
function ignoredSignals(): readonly number[] {
  const mask = signalMask("self", "SigIgn");
  if (mask === null) return CHANGEABLE_SIGNALS;
  return CHANGEABLE_SIGNALS.filter((signal) => inMask(mask, signal));
}

/**
 * The files `execvp` would try for a command name, in order.
 *
 * @example
 * ```ts
 * candidates("ls", "/usr/bin:/bin"); // ["/usr/bin/ls", "/bin/ls"]
 * ```
 */
export function candidates(file: string, path: string): string[] {
  if (file.includes("/")) return [file];
  return path.split(":").map((dir) => `${dir === "" ? "." : dir}/${file}`);
}

/**
 * Executes the command in place of this process. Returns never: on failure
 * it prints `mntns: failed to execute CMD: ENOENT (No such file or
 * directory)` and exits 127 (not found) or 126 (found, not executable).
 *
 * @example
 * ```ts
 * execCommand({ argv: ["ls", "-la"] });
 * ```
 */
export function execCommand(target: ExecTarget): never {
  const file = target.file ?? target.argv[0];
  resetSignals(ignoredSignals());
  let errno = ENOENT;
  let sawEacces = false;
  for (const candidate of candidates(file, searchPath(target.env))) {
    errno = execve({ path: candidate, argv: target.argv, env: target.env });
    if (errno === EACCES) sawEacces = true;
    else if (errno !== ENOENT && errno !== ENOTDIR) break;
  }
  if (sawEacces && (errno === ENOENT || errno === ENOTDIR)) errno = EACCES;
  writeErr(
    `mntns: failed to execute ${file}: ${errnoName(errno)} (${
      errnoText(errno)
    })\n`,
  );
  Deno.exit(
    errno === ENOENT || errno === ENOTDIR
      ? EXIT_NOT_FOUND
      : EXIT_CANNOT_EXECUTE,
  );
}

/**
 * The command to run when none is given: `$SHELL`, else `/bin/sh`, started
 * as a login shell the way util-linux does (`argv[0]` is `-bash`).
 *
 * @example
 * ```ts
 * defaultShell("/bin/bash"); // { file: "/bin/bash", argv: ["-bash"] }
 * ```
 */
export function defaultShell(
  shell: string | undefined,
): { file: string; argv: string[] } {
  const file = shell || "/bin/sh";
  return { file, argv: [`-${file.slice(file.lastIndexOf("/") + 1)}`] };
}
