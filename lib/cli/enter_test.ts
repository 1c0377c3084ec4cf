import assert from "node:assert/strict";
import { parseEnterArgs } from "./enter.ts";
import { UsageError } from "../errors.ts";

/** A caller with a shell and a clean signal state. */
const CALLER = {
  env: ["SHELL=/bin/bash"],
  signals: { ignored: [], blocked: [] },
};

Deno.test("enter plan: TARGET first, options before or after it, the command after --", () => {
  assert.deepEqual(
    parseEnterArgs(["box", "--uts", "-n", "--", "ip", "a"], CALLER),
    {
      target: { kind: "name", name: "box" },
      namespaces: ["uts", "net"],
      wd: null,
      command: {
        file: "ip",
        argv: ["ip", "a"],
        env: CALLER.env,
        signals: CALLER.signals,
      },
    },
  );
  const before = parseEnterArgs(
    ["--mount", "--wd", "/srv", "42", "ls"],
    CALLER,
  );
  assert.deepEqual(before?.target, { kind: "pid", pid: 42 });
  assert.deepEqual(before?.namespaces, ["mnt"]);
  assert.equal(before?.wd, "/srv");
  assert.deepEqual(before?.command.argv, ["ls"]);
  // Options stop at the first word after TARGET that is not one.
  assert.deepEqual(
    parseEnterArgs(["42", "ls", "--pid"], CALLER)?.command.argv,
    ["ls", "--pid"],
  );
});

Deno.test("enter plan: namespaces in joining order; none asked: all that differ; default shell", () => {
  const plan = parseEnterArgs(["./ns", "-m", "-p", "-C", "-i"], CALLER);
  assert.deepEqual(plan?.target, { kind: "file", path: "./ns" });
  assert.deepEqual(plan?.namespaces, ["cgroup", "ipc", "pid", "mnt"]);
  const all = parseEnterArgs(["7"], CALLER);
  assert.equal(all?.namespaces, null);
  assert.deepEqual(all?.command, {
    file: "/bin/bash",
    argv: ["-bash"],
    env: CALLER.env,
    signals: CALLER.signals,
  });
});

Deno.test("enter plan: a missing or empty TARGET, PID 0 and unknown options are usage errors", () => {
  for (
    const [args, message] of [
      [[], "expected TARGET: a PID, a namespace file or a run's hostname"],
      [
        ["--uts"],
        "expected TARGET: a PID, a namespace file or a run's hostname",
      ],
      [
        ["--", "true"],
        "expected TARGET: a PID, a namespace file or a run's hostname",
      ],
      [
        ["--uts", "--", "true"],
        "expected TARGET: a PID, a namespace file or a run's hostname",
      ],
      [
        [""],
        "TARGET is empty: give a PID, a namespace file or a run's hostname",
      ],
      [["0"], "'0' is not a process ID"],
      [["99999999999999999999"], "'99999999999999999999' is not a process ID"],
      [["1", "--bogus"], "unrecognized option '--bogus'"],
    ] as const
  ) {
    assert.throws(
      () => parseEnterArgs(args, CALLER),
      (error: unknown) =>
        error instanceof UsageError && error.message === message &&
        error.command === "mntns enter",
      args.join(" "),
    );
  }
});
