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

Deno.test("the caller's ignored SIGUSR1 is kept though Deno replaces it half a second after its start", async () => {
  const script = `
    import { callerSignalState, keepCallerSignalState, signalMasks, inMask } from ${
    JSON.stringify(new URL("./signals.ts", import.meta.url).href)
  };
    keepCallerSignalState();
    for (let waited = 0; waited < 5000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (!inMask(signalMasks("self")!.ignored, 10)) break;
    }
    console.log(inMask(signalMasks("self")!.ignored, 10), callerSignalState().ignored.join(","));
  `;
  const output = await new Deno.Command("bash", {
    args: ["-c", `trap '' USR1; exec "$0" eval "$1"`, Deno.execPath(), script],
  }).output();
  assert.equal(new TextDecoder().decode(output.stderr), "");
  // Deno's own handler replaced SIG_IGN; what mntns kept still has it.
  assert.equal(new TextDecoder().decode(output.stdout), "false 10\n");
});
