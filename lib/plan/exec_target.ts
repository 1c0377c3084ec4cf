/**
 * What mntns hands to the command it runs: its argv, its environment and
 * the signal state it starts with — all of it what the caller gave mntns
 * (lib/system/proc.ts reads it), byte for byte, less what Deno added.
 *
 * @module
 */

import type { SignalState } from "../system/signals.ts";

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
