import assert from "node:assert/strict";
import {
  type Disposition,
  initSignaller,
  plainSignaller,
} from "./init_signals.ts";

function recorder(disposition: Disposition): {
  sent: number[];
  child: {
    pid: number;
    send(pid: number, signal: number): void;
    disposition(): Disposition;
  };
} {
  const sent: number[] = [];
  return {
    sent,
    child: {
      pid: 7,
      send: (_pid: number, signal: number) => void sent.push(signal),
      disposition: () => disposition,
    },
  };
}

Deno.test("init signals: a default that ends a process is applied by mntns, and reported as 128+N", () => {
  const { sent, child } = recorder("default");
  const signaller = initSignaller(child);
  signaller.deliver(15);
  assert.deepEqual(sent, [15, 9]);
  assert.equal(signaller.exitStatus({ pid: 7, code: 0, signal: 9 }), 143);
});

Deno.test("init signals: caught, ignored and harmless signals are only passed on", () => {
  for (
    const [disposition, signal] of [["caught", 15], ["ignored", 1], [
      "default",
      28,
    ], ["default", 17]] as const
  ) {
    const { sent, child } = recorder(disposition);
    const signaller = initSignaller(child);
    signaller.deliver(signal);
    assert.deepEqual(sent, [signal], `${disposition} ${signal}`);
    assert.equal(signaller.exitStatus({ pid: 7, code: 3, signal: null }), 3);
  }
});

Deno.test("plain signals: passed on; a signal that ended the child is 128+N", () => {
  const { sent, child } = recorder("default");
  const signaller = plainSignaller(child);
  signaller.deliver(2);
  assert.deepEqual(sent, [2]);
  assert.equal(signaller.exitStatus({ pid: 7, code: 0, signal: 2 }), 130);
});
