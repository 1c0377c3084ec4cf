import assert from "node:assert/strict";
import {
  describeProcMasks,
  PROC_MASKED,
  PROC_READ_ONLY,
} from "./proc_masks.ts";
import { runSetupOps } from "./run_plan.ts";
import type { RunPlan } from "./run_plan.ts";

Deno.test("proc masks: runc's default masked and read-only /proc paths, each once, none in both", () => {
  // runc's libcontainer/specconv (Example): maskedPaths and readonlyPaths under /proc.
  assert.deepEqual([...PROC_MASKED].sort(), [
    "acpi",
    "kcore",
    "keys",
    "latency_stats",
    "sched_debug",
    "scsi",
    "timer_list",
    "timer_stats",
  ]);
  assert.deepEqual([...PROC_READ_ONLY].sort(), [
    "bus",
    "fs",
    "irq",
    "sys",
    "sysrq-trigger",
  ]);
  assert.equal(
    PROC_MASKED.filter((name) => PROC_READ_ONLY.includes(name)).length,
    0,
  );
  assert.match(
    describeProcMasks(),
    /^\/proc\/acpi, .*\/proc\/scsi empty; \/proc\/bus, .*\/proc\/sysrq-trigger read-only/,
  );
});

Deno.test("proc masks: made after the fresh /proc, only in a new root, unless turned off", () => {
  const plan: RunPlan = {
    namespaces: {
      uts: false,
      pid: true,
      ipc: false,
      net: false,
      cgroup: false,
    },
    hostname: null,
    propagation: "private",
    init: false,
    rootfs: "/srv/r",
    readOnly: false,
    mounts: [],
    dev: false,
    maskProc: true,
    privileges: {
      user: null,
      capabilities: [],
      noNewPrivs: false,
      newSession: false,
    },
    dieWithParent: true,
    wd: null,
    command: { argv: ["sh"], env: [], signals: { ignored: [], blocked: [] } },
    infoFd: null,
  };
  assert.deepEqual(runSetupOps(plan).map((op) => op.op).slice(-3), [
    "pivot-root",
    "proc",
    "mask-proc",
  ]);
  assert.deepEqual(
    runSetupOps({ ...plan, maskProc: false }).map((op) => op.op).slice(-1),
    ["proc"],
  );
  // Without a new root there is nothing to mask: the host's / is shared.
  assert.deepEqual(
    runSetupOps({ ...plan, rootfs: null, maskProc: true }).map((op) => op.op),
    ["unshare", "root-propagation", "proc"],
  );
});
