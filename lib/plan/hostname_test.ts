import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { checkHostname, HOSTNAME_MAX } from "./hostname.ts";

Deno.test("checkHostname takes 1 to 64 bytes, counted in UTF-8", () => {
  checkHostname("box", "mntns run");
  checkHostname("x".repeat(HOSTNAME_MAX), "mntns run");
  assert.throws(() => checkHostname("", "mntns run"), UsageError);
  assert.throws(
    () => checkHostname("é".repeat(33), "mntns run"),
    /is 66 bytes; it must be 1 to 64/,
  );
});
