/**
 * What mntns hands to the command it runs: its argv, its environment and
 * the signal state it starts with — all of it what the caller gave mntns,
 * byte for byte (lib/bytes.ts), less what Deno added.
 *
 * @module
 */

/** Which signals a process ignores and which it blocks, by number. */
export interface SignalState {
  /** Signals set to SIG_IGN; every other changeable one is SIG_DFL. */
  ignored: readonly number[];
  /** The blocked mask. */
  blocked: readonly number[];
}

/** What the caller gave mntns: its environment and its signal state. */
export interface Caller {
  /** The environment, `K=V` strings in order (`/proc/self/environ`). */
  env: readonly string[];
  /** The signal state, less what Deno added. */
  signals: SignalState;
}

/** What to execute, and how. */
export interface ExecTarget {
  /** argv, argv[0] included; argv[0] is also the file, searched in PATH when it has no slash. */
  argv: readonly string[];
  /** The file to run when it is not argv[0] (a login shell's `-sh`). */
  file?: string;
  /** The environment as `K=V` strings, exactly as the command gets it. */
  env: readonly string[];
  /** The signal state the command starts with. */
  signals: SignalState;
}
