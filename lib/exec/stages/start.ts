/**
 * How mntns starts, from its source (main.ts) or as one file (the bundle
 * and the compiled binary, bundle_main.ts): it keeps the caller's
 * signal state before anything else is loaded, then loads what does the
 * work (lib/dispatch.ts) and runs it. Deno replaces an inherited SIG_IGN of
 * SIGUSR1 on a turn of its event loop from half a second after it starts,
 * and loading modules turns it (lib/system/signals.ts).
 *
 * @module
 */

import { keepCallerSignalState } from "../../system/signals.ts";
import { isStageName } from "./stage_names.ts";
import type { runMain } from "../../dispatch.ts";

/**
 * Keeps the caller's signal state (a hidden stage has none to keep: its
 * parent blocked its signals), then loads the dispatcher and runs mntns.
 *
 * @example
 * ```ts
 * await startMntns(() => import("../../dispatch.ts"));
 * ```
 */
export async function startMntns(
  load: () => Promise<{ runMain: typeof runMain }>,
): Promise<void> {
  const stage = isStageName(Deno.args[0]);
  if (!stage) keepCallerSignalState();
  await (await load()).runMain({ stage });
}
