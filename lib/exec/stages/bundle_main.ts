/**
 * The entry of the bundle and the compiled binary (scripts/bundle.ts,
 * scripts/compile.ts): one file, whose modules are all loaded before its
 * first line runs, so the dispatcher is named here for the bundler to take
 * in (main.ts names it by a variable, so that Deno loads it only when asked).
 *
 * @module
 */

import { startMntns } from "./start.ts";

await startMntns(() => import("../../dispatch.ts"));
