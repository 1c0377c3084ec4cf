/**
 * The `mount(2)` flags of each propagation mode: one table, as util-linux
 * `unshare.c` keeps its `{name, flags}` array, for `propagation set` (one
 * mount, or with `-r` every mount below it) and for the root of a new
 * namespace (`--propagation`, always recursive).
 *
 * @module
 */

import { MS } from "../../ffi/constants.ts";
import type { PropagationMode } from "../mount/propagation.ts";

const FLAGS: Readonly<Record<PropagationMode, number>> = {
  private: MS.PRIVATE,
  shared: MS.SHARED,
  slave: MS.SLAVE,
  unbindable: MS.UNBINDABLE,
};

/**
 * The flags that give a mount (and, with `recursive`, every mount below it)
 * a propagation mode.
 *
 * @example
 * ```ts
 * propagationFlags("private", true); // MS.PRIVATE | MS.REC
 * ```
 */
export function propagationFlags(
  mode: PropagationMode,
  recursive: boolean,
): number {
  return recursive ? FLAGS[mode] | MS.REC : FLAGS[mode];
}
