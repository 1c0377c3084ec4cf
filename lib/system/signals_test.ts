import assert from "node:assert/strict";
import { exitStatus, inMask, SIG, signalMasks } from "./signals.ts";

Deno.test("inMask reads signal N as bit N-1 of a /proc status mask", () => {
  assert.equal(inMask(0x1000n, SIG.PIPE), true);
  assert.equal(inMask(0x1000n, SIG.HUP), false);
  assert.equal(inMask(1n << 63n, 64), true);
});

Deno.test("exitStatus is the code, or 128+N for signal N", () => {
  assert.equal(exitStatus({ pid: 7, code: 3, signal: null }), 3);
  assert.equal(exitStatus({ pid: 7, code: 0, signal: SIG.TERM }), 143);
});

Deno.test("signalMasks reads this process's masks, and null for a process that is gone", () => {
  const masks = signalMasks("self");
  assert.ok(masks !== null);
  // Deno (Rust) ignores SIGPIPE in every process it runs.
  assert.equal(inMask(masks.ignored, SIG.PIPE), true);
  assert.equal(signalMasks(2 ** 22 + 1), null);
});
