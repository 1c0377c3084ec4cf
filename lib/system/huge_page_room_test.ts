import assert from "node:assert/strict";
import { addressOf } from "../../ffi/memory.ts";
import { hugePageRoom } from "./huge_page_room.ts";

const MIB = 1024 * 1024;

/** The VmFlags of the mapping of /proc/self/smaps that holds `address`. */
function vmFlagsAt(address: bigint): string[] {
  let inside = false;
  for (const line of Deno.readTextFileSync("/proc/self/smaps").split("\n")) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (range !== null) {
      inside = BigInt(`0x${range[1]}`) <= address &&
        address < BigInt(`0x${range[2]}`);
    } else if (inside && line.startsWith("VmFlags:")) {
      return line.slice("VmFlags:".length).trim().split(" ");
    }
  }
  throw new Error(`no mapping of /proc/self/smaps holds ${address}`);
}

Deno.test("hugePageRoom: small room is plain; large room starts at a 2 MiB boundary, advised as huge pages", () => {
  const small = hugePageRoom(64 * 1024);
  assert.equal(small.byteOffset, 0);
  assert.equal(small.length, 64 * 1024);

  const large = hugePageRoom(4 * MIB);
  assert.equal(large.length, 4 * MIB);
  assert.equal(large.byteOffset % 8, 0);
  const start = addressOf(large);
  assert.equal(start % BigInt(2 * MIB), 0n);
  assert.ok(large.every((byte) => byte === 0));
  // Every byte is the room's to write: records at 4-byte offsets too.
  large.fill(0xff);
  new Uint32Array(large.buffer, large.byteOffset, large.length / 4).fill(7);
  // madvise(MADV_HUGEPAGE) marks the mapping "hg", whether or not the
  // kernel then finds a huge page for it.
  assert.ok(vmFlagsAt(start).includes("hg"), vmFlagsAt(start).join(" "));
  assert.ok(vmFlagsAt(start + BigInt(4 * MIB - 1)).includes("hg"));
});
