/**
 * The stages: the hidden subcommands mntns runs as when it starts itself
 * again, and why it must. This folder holds the runtime's workarounds in one
 * place; the executors beside it use them.
 *
 * Why stages exist:
 * - Deno has no safe `fork()` (V8 and tokio threads), so a process that must
 *   run code in a new namespace starts mntns again (self_command.ts) instead
 *   of forking, and hands it its plan whole through an inherited pipe,
 *   never through argv, which every user can read (received_plan.ts).
 * - A PID namespace applies to the children made after `unshare`, not to the
 *   caller: the first process in it has to be a new one, the run stage
 *   (run_stage.ts), which makes the mounts and becomes the command, or with
 *   `--init` starts it through the exec stage (exec_stage.ts) and reaps.
 *   `enter --pid` joins a PID namespace the same way (enter_stage.ts).
 * - A Deno process that lives on answers SIGUSR1 by opening the V8
 *   inspector to anyone local. So `run` and `enter` do not stay as Deno
 *   processes that wait: they become the wait stage (wait_stage.ts) by
 *   `execve`, with the signals they pass on blocked before it, and wait on
 *   a `signalfd` without any event-loop turn (supervise.ts).
 * - Signal masks, descriptors and environment must reach the command byte
 *   for byte: the stages are started and exec'd through libc directly
 *   (ffi/spawn.ts, ffi/syscalls.ts, ffi/signals.ts), with argv and
 *   environment built in memory that does not move (ffi/memory.ts,
 *   ffi/cstring.ts, ffi/environ.ts).
 * - Deno takes SIGUSR1 on a turn of its event loop from half a second after
 *   it starts, and loading modules turns it: start.ts keeps the caller's
 *   signal state before more than it needs is loaded (main.ts names the
 *   dispatcher by a variable; bundle_main.ts, the bundle's entry, by a
 *   literal, for the bundler).
 * - Deno stores a module's code cache only on a later turn of its event
 *   loop, and mntns execs or exits before one comes: lib/dispatch.ts gives
 *   it the turns (code_cache.ts); a stage skips them, its parent has stored it.
 *
 * The names are kept apart so that start.ts can tell a stage without
 * loading more.
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

/**
 * Whether a word names a hidden stage.
 *
 * @example
 * ```ts
 * isStageName(RUN_STAGE); // true
 * isStageName("run"); // false
 * ```
 */
export function isStageName(word: string | undefined): boolean {
  return [RUN_STAGE, EXEC_STAGE, WAIT_STAGE, ENTER_STAGE, ENTER_WAIT_STAGE]
    .some((stage) => stage === word);
}
