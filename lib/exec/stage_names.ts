/**
 * The names of the hidden subcommands mntns runs as when it starts itself
 * again. Kept apart so `main.ts` can dispatch them without loading more.
 *
 * @module
 */

/** The hidden subcommand the PID-namespace init stage of `run` runs as. */
export const RUN_STAGE = "__mntns-run-stage";
/** The hidden subcommand that only cleans up signals and execs a command. */
export const EXEC_STAGE = "__mntns-exec-stage";
/** The hidden subcommand `run` becomes to wait for its stage and pass signals on. */
export const WAIT_STAGE = "__mntns-run-wait";
/** The hidden subcommand that joins a target's namespaces and execs a command (`enter --pid`). */
export const ENTER_STAGE = "__mntns-enter-stage";
/** The hidden subcommand `enter` becomes to wait for its stage and pass signals on. */
export const ENTER_WAIT_STAGE = "__mntns-enter-wait";
