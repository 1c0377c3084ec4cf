/**
 * The plan of `mntns propagation set`.
 *
 * @module
 */

import type { PropagationMode } from "../mount/propagation.ts";

/** What `propagation set` changes. */
export interface SetPlan {
  /** The new mode. */
  mode: PropagationMode;
  /** The mount point, canonical. */
  target: string;
  /** Whether mounts below it change too. */
  recursive: boolean;
}
