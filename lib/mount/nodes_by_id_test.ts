/**
 * Nodes by id: the same answers whether the ids are looked up in an array
 * (the kernel's small ids) or in a Map (any others).
 */
import assert from "node:assert/strict";
import { NodesById } from "./nodes_by_id.ts";

function nodes(ids: readonly number[]): NodesById {
  return new NodesById(ids);
}

Deno.test("NodesById finds the first node of each id, kernel-sized or not", () => {
  // Small ids (an array by id), an id far past the count, one too large
  // for an array, and one that is not an integer (the Map).
  for (
    const ids of [
      [21, 22, 21, 30, 22],
      [21, 500_000, 21, 30, 500_000],
      [21, 2 ** 40, 21, 30, 2 ** 40],
      [21, 22.5, 21, 30, 22.5],
    ]
  ) {
    const byId = nodes(ids);
    assert.equal(byId.get(21), 0, `${ids}`);
    assert.equal(byId.get(ids[1]), 1);
    assert.equal(byId.get(30), 3);
    assert.deepEqual(byId.repeats, [2, 4]);
    assert.equal(byId.size, 3);
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => byId.isFirst(i)), [
      true,
      true,
      false,
      true,
      false,
    ]);
    for (const missing of [0, 20, 31, -1, 1.5, 2 ** 41]) {
      assert.equal(byId.get(missing), -1, `${ids}: ${missing}`);
    }
  }
});

Deno.test("NodesById of no nodes finds nothing", () => {
  const byId = nodes([]);
  assert.equal(byId.size, 0);
  assert.equal(byId.get(0), -1);
});
