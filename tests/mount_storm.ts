/**
 * A storm of mount events for the watch tests:
 * `deno run -A tests/mount_storm.ts DIR COUNT` moves to a mount namespace of
 * its own (private), mounts a tmpfs at DIR/storm, and binds it COUNT times
 * under itself, one mount event each, as fast as it can; after the first
 * 200 it writes DIR/storm-ready. Then it waits to be killed. Its mounts end
 * with it.
 *
 * @module
 */

import { bind, throwawayNamespace, tmpfsAt } from "../scripts/bench_shapes.ts";

const [dir, countText] = Deno.args;
const count = Number(countText);
throwawayNamespace();
const storm = `${dir}/storm`;
tmpfsAt(storm);
Deno.mkdirSync(`${storm}/src`);
for (let i = 1; i <= count; i++) {
  bind(`${storm}/src`, `${storm}/m${i}`);
  if (i === 200) Deno.writeTextFileSync(`${dir}/storm-ready`, "");
}
setInterval(() => {}, 60_000);
