import assert from "node:assert/strict";
import { MS } from "../../ffi/constants.ts";
import { propagationFlags } from "./propagation_flags.ts";

Deno.test("each propagation mode has its mount(2) flag, with MS_REC when recursive", () => {
  assert.equal(propagationFlags("private", false), MS.PRIVATE);
  assert.equal(propagationFlags("shared", true), MS.SHARED | MS.REC);
  assert.equal(propagationFlags("slave", false), MS.SLAVE);
  assert.equal(propagationFlags("unbindable", true), MS.UNBINDABLE | MS.REC);
});
