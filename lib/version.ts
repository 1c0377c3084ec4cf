/**
 * The mntns version, printed by `mntns --version`: read from deno.json, the
 * one place it is written.
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };

/** The version of this mntns. */
export const VERSION: string = config.version;
