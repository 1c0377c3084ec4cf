import assert from "node:assert/strict";
import { median } from "../scripts/median.ts";

Deno.test("median: the middle value, or the mean of the two middle ones", () => {
  assert.equal(median([5]), 5);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([10, 2, 4, 3]), 3.5);
  assert.equal(median([2, 10, 1]), 2, "in numeric, not string, order");
  assert.throws(() => median([]), /^Error: median of no values$/);
});
