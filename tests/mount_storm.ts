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

import { CLONE, MS } from "../ffi/constants.ts";
import { mount, unshare } from "../ffi/syscalls.ts";

const [dir, countText] = Deno.args;
const count = Number(countText);
unshare(CLONE.NEWNS);
mount({ source: "none", target: "/", flags: MS.REC | MS.PRIVATE });
const storm = `${dir}/storm`;
mount({ source: "storm", target: storm, fstype: "tmpfs", flags: 0 });
Deno.mkdirSync(`${storm}/src`);
for (let i = 1; i <= count; i++) {
  Deno.mkdirSync(`${storm}/m${i}`);
  mount({ source: `${storm}/src`, target: `${storm}/m${i}`, flags: MS.BIND });
  if (i === 200) Deno.writeTextFileSync(`${dir}/storm-ready`, "");
}
setInterval(() => {}, 60_000);
