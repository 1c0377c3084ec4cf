/**
 * The plan of `mntns propagation watch`.
 *
 * @module
 */

/** What `propagation watch` watches, and when it ends. */
export interface WatchPlan {
  /** Only events at or below these paths (canonical); empty: every event. */
  paths: string[];
  /** Watch the mount namespace of this process; null: mntns's own. */
  pid: number | null;
  /** Watch every mount namespace on the machine. */
  all: boolean;
  /** One JSON object a line instead of text. */
  json: boolean;
  /** Say how the watch sees (in text; `json` says it always). */
  verbose: boolean;
  /** End after the first event. */
  firstOnly: boolean;
  /** End after this many milliseconds without an event; null: never. */
  timeoutMs: number | null;
  /** End with 128 + N on signal N (130 for Ctrl-C) instead of 0. */
  signalStatus: boolean;
}
