/**
 * The mntns version, printed by `mntns --version`, and its release date:
 * read from deno.json, the one place they are written.
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };

/** The version of this mntns. */
export const VERSION: string = config.version;

/** The day this version was released (YYYY-MM-DD), the man page's date. */
export const RELEASE_DATE: string = config.date;
