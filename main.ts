/**
 * mntns: mount namespaces and mount propagation, easy to use, to see and to
 * trust. `deno run -A main.ts` runs it from its source: lib/exec/stages/start.ts keeps
 * the caller's signal state, then loads lib/dispatch.ts, which does the
 * work.
 *
 * @module
 */

import { startMntns } from "./lib/exec/stages/start.ts";

/**
 * The dispatcher, named by a variable: Deno loads every module a literal
 * `import()` names (and all they import) before the first line runs, which
 * on a busy machine took longer than Deno waits before it takes SIGUSR1.
 */
const DISPATCH = "./lib/dispatch.ts";

if (import.meta.main) await startMntns(() => import(DISPATCH));
