/**
 * A mount namespace as the model sees it: named by its inode number, seen
 * through one process in it, with that process's mounts.
 *
 * @module
 */

import type { Mount } from "./mountinfo.ts";

/** One mount namespace, seen through one process in it. */
export interface MountNamespace {
  /** The namespace's inode number. */
  ns: number;
  /**
   * A process in it that outlives mntns, for `nsenter -t`: `--pid N`'s, the
   * lowest pid in the namespace, or for mntns's own namespace the lowest pid
   * other than mntns; null when mntns is alone in its namespace (which then
   * ends when mntns exits).
   */
  pid: number | null;
  /** That process's command name (`/proc/<pid>/comm`); null with no pid. */
  comm: string | null;
  /** The mounts that process sees. */
  mounts: Mount[];
  /** The file that keeps it, when it was read through one (`--ns FILE`). */
  keptAt?: string;
}
