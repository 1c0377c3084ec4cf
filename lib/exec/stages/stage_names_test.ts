import assert from "node:assert/strict";
import { STAGES } from "../../commands.ts";
import { isStageName } from "./stage_names.ts";

Deno.test("isStageName names exactly the stages lib/commands.ts dispatches", () => {
  for (const name of Object.keys(STAGES)) assert.ok(isStageName(name), name);
  assert.equal(isStageName("run"), false);
  assert.equal(isStageName(undefined), false);
  assert.equal(
    [
      "__mntns-run-stage",
      "__mntns-exec-stage",
      "__mntns-run-wait",
      "__mntns-enter-stage",
      "__mntns-enter-wait",
    ].filter(isStageName).length,
    Object.keys(STAGES).length,
  );
});
