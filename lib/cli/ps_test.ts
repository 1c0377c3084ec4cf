import assert from "node:assert/strict";
import { localTime, psTable, runJson } from "./ps.ts";
import type { RunningRun } from "../system/runs.ts";

const NAMESPACES = {
  mnt: 4026532180,
  uts: 4026532181,
  ipc: 4026532182,
  net: 4026532183,
  pid: 4026532179,
  cgroup: 4026531835,
};

const RUN: RunningRun = {
  mntns: 900,
  pid: 912,
  hostname: "box",
  command: ["sleep", "1000"],
  started: Date.UTC(2026, 10, 27, 10, 1, 2, 340),
  namespaces: NAMESPACES,
};

Deno.test("ps: the table names each run's PIDs, hostname ('-' for none), start, mount namespace and command", () => {
  const lines = psTable([
    RUN,
    { ...RUN, mntns: 1000, pid: 1003, hostname: null, command: ["a\nb"] },
  ]).split("\n");
  assert.equal(
    lines[0],
    "PID  MNTNS-PID HOSTNAME STARTED             MNT-NS     COMMAND",
  );
  assert.equal(
    lines[1],
    `912  900       box      ${localTime(RUN.started)} 4026532180 sleep 1000`,
  );
  assert.match(lines[2], /^1003 1000 {6}- {8}.* 4026532180 a\\x0ab$/);
  assert.equal(lines.length, 4);
  assert.equal(psTable([]), "PID MNTNS-PID HOSTNAME STARTED MNT-NS COMMAND\n");
});

Deno.test("ps: local time to the second; JSON with the start in ISO 8601", () => {
  assert.match(localTime(RUN.started), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  const date = new Date(RUN.started);
  assert.equal(
    localTime(RUN.started).slice(-8),
    [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) =>
      String(part).padStart(2, "0")
    ).join(":"),
  );
  assert.deepEqual(runJson(RUN), {
    pid: 912,
    mntns: 900,
    hostname: "box",
    command: ["sleep", "1000"],
    started: "2026-11-27T10:01:02.340Z",
    namespaces: NAMESPACES,
  });
});
