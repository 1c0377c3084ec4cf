/**
 * The errors every layer may throw where a failure arises, and the one place
 * that turns any error into an exit status and a message (lib/dispatch.ts uses it):
 * 2 for wrong usage, 1 for everything else.
 *
 * @module
 */

/** Wrong words on the command line: exit status 2, with a hint to `--help`. */
export class UsageError extends Error {
  /** The command whose `--help` to suggest (`mntns propagation set`). */
  readonly command: string;

  /**
   * A one-line problem, and the command whose help explains it.
   *
   * @example
   * ```ts
   * throw new UsageError("unknown mode 'bogus'", "mntns propagation set");
   * ```
   */
  constructor(message: string, command: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

/** A failure at run time that has a one-line explanation: exit status 1. */
export class CommandError extends Error {
  /**
   * The message is printed as it is, after `mntns: `.
   *
   * @example
   * ```ts
   * throw new CommandError("/x: not a mount point — mount something there first");
   * ```
   */
  constructor(message: string) {
    super(message);
    this.name = "CommandError";
  }
}

/**
 * The command could not be executed; it carries the exit status a shell
 * gives for it (127 when it was not found, 126 when it could not run).
 */
export class ExecError extends Error {
  /** The exit status mntns ends with. */
  readonly status: number;

  /**
   * The message is printed as it is, after `mntns: `.
   *
   * @example
   * ```ts
   * throw new ExecError("failed to execute nope: ENOENT (No such file or directory)", 127);
   * ```
   */
  constructor(message: string, status: number) {
    super(message);
    this.name = "ExecError";
    this.status = status;
  }
}

/**
 * The exit status for an error: 2 for a {@linkcode UsageError}, an
 * {@linkcode ExecError}'s own, else 1.
 *
 * @example
 * ```ts
 * exitStatusOf(new UsageError("missing command", "mntns")); // 2
 * ```
 */
export function exitStatusOf(error: unknown): number {
  if (error instanceof ExecError) return error.status;
  return error instanceof UsageError ? 2 : 1;
}
