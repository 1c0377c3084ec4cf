import assert from "node:assert/strict";
import {
  CAPABILITY_NAMES,
  capabilityName,
  keptCapabilities,
  parseCapabilityChange,
} from "./capabilities.ts";
import { CommandError, UsageError } from "../errors.ts";

const ALL = CAPABILITY_NAMES.map((_, number) => number);

Deno.test("capabilities: 41 names, as <linux/capability.h> numbers them", () => {
  assert.equal(CAPABILITY_NAMES.length, 41);
  assert.equal(capabilityName(0), "CAP_CHOWN");
  assert.equal(capabilityName(10), "CAP_NET_BIND_SERVICE");
  assert.equal(capabilityName(21), "CAP_SYS_ADMIN");
  assert.equal(capabilityName(40), "CAP_CHECKPOINT_RESTORE");
  assert.equal(capabilityName(41), "CAP_41");
});

Deno.test("capabilities: ALL, names with or without CAP_, any case, comma-separated", () => {
  assert.deepEqual(parseCapabilityChange("drop", "all", "mntns run"), {
    change: "drop",
    capabilities: "all",
  });
  assert.deepEqual(
    parseCapabilityChange("add", "net_bind_service,CAP_SYS_ADMIN,Kill", "x"),
    { change: "add", capabilities: [10, 21, 5] },
  );
  for (const list of ["ALL,CAP_CHOWN", "cap_chown,all"]) {
    assert.deepEqual(parseCapabilityChange("drop", list, "mntns run"), {
      change: "drop",
      capabilities: "all",
    });
  }
  assert.throws(
    () => parseCapabilityChange("drop", "CAP_NOPE", "mntns run"),
    UsageError,
  );
});

Deno.test("capabilities: changes apply in order to the starting set", () => {
  const drop = (capabilities: "all" | number[]) => ({
    change: "drop" as const,
    capabilities,
  });
  const add = (capabilities: "all" | number[]) => ({
    change: "add" as const,
    capabilities,
  });
  assert.deepEqual(
    keptCapabilities({
      start: ALL,
      available: ALL,
      changes: [drop("all"), add([10])],
    }),
    [10],
  );
  assert.deepEqual(
    keptCapabilities({
      start: ALL,
      available: ALL,
      changes: [add([10]), drop("all")],
    }),
    [],
  );
  assert.deepEqual(
    keptCapabilities({ start: [], available: ALL, changes: [add([21, 0])] }),
    [0, 21],
  );
  assert.deepEqual(
    keptCapabilities({ start: ALL, available: ALL, changes: [drop([21])] }),
    ALL.filter((number) => number !== 21),
  );
  // what this process does not hold cannot be given
  assert.throws(
    () =>
      keptCapabilities({ start: [], available: [0, 1], changes: [add([24])] }),
    (error: unknown) => {
      assert.ok(error instanceof CommandError);
      assert.equal(
        error.message,
        "--cap-add CAP_SYS_RESOURCE: mntns does not hold it (it is not in its permitted set), so it cannot give it — leave it out",
      );
      return true;
    },
  );
});
