/**
 * Replacing this process with the user's command, as `execvp(3)` would, with
 * the caller's own signal state and nothing of Deno's own left behind.
 *
 * File descriptors: every descriptor Deno opens itself is close-on-exec (its
 * event loop, caches and duplicated stdio), so the command inherits exactly
 * those its caller passed. Signals: the caller's ignored set and mask (see
 * lib/system/signals.ts). Environment: exactly the one given.
 *
 * @module
 */

import { E, errnoName, errnoText } from "../../ffi/errno.ts";
import { setSignalState } from "../../ffi/signals.ts";
import { execve } from "../../ffi/syscalls.ts";
import { displayText } from "../bytes.ts";
import { environmentValue } from "../plan/default_shell.ts";
import { ExecError } from "../errors.ts";
import { IGNORED_BY_DENO } from "../system/signals.ts";
import type { ExecTarget } from "../plan/exec_target.ts";

/** The exit status util-linux gives when a command cannot be found. */
const EXIT_NOT_FOUND = 127;
/** The exit status util-linux gives when a command cannot be executed. */
const EXIT_CANNOT_EXECUTE = 126;
/** glibc's search path when PATH is not set (`confstr(_CS_PATH)`). */
const DEFAULT_PATH = "/bin:/usr/bin";

/**
 * The files `execvp` would try for a command name, in order: none for an
 * empty name (E.NOENT, as execvp).
 *
 * @example
 * ```ts
 * candidates("ls", "/usr/bin:/bin"); // ["/usr/bin/ls", "/bin/ls"]
 * ```
 */
export function candidates(file: string, path: string): string[] {
  if (file === "") return [];
  if (file.includes("/")) return [file];
  return path.split(":").map((dir) => `${dir === "" ? "." : dir}/${file}`);
}

/**
 * Executes the command in place of this process. Returns never: on failure
 * it throws an {@linkcode ExecError} (`failed to execute CMD: ENOENT (No such
 * file or directory)`) whose status is 127 (not found) or 126 (found, not
 * executable).
 *
 * @example
 * ```ts
 * execCommand({ argv: ["ls", "-la"], env: ["PATH=/bin"], signals: { ignored: [], blocked: [] } });
 * ```
 */
export function execCommand(target: ExecTarget): never {
  const file = target.file ?? target.argv[0];
  const path = environmentValue(target.env, "PATH") ?? DEFAULT_PATH;
  setSignalState({
    ...target.signals,
    defaulted: IGNORED_BY_DENO.filter((signal) =>
      !target.signals.ignored.includes(signal)
    ),
  });
  let errno: number = E.NOENT;
  let sawEacces = false;
  for (const candidate of candidates(file, path)) {
    errno = execve({ path: candidate, argv: target.argv, env: target.env });
    if (errno === E.ACCES) sawEacces = true;
    else if (errno !== E.NOENT && errno !== E.NOTDIR) break;
  }
  if (sawEacces && (errno === E.NOENT || errno === E.NOTDIR)) errno = E.ACCES;
  throw new ExecError(
    `failed to execute ${displayText(file)}: ${errnoName(errno)} (${
      errnoText(errno)
    })`,
    errno === E.NOENT || errno === E.NOTDIR
      ? EXIT_NOT_FOUND
      : EXIT_CANNOT_EXECUTE,
  );
}
