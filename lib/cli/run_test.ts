import assert from "node:assert/strict";
import { parseRunArgs } from "./run.ts";
import { commandEnvironment, runSetupOps } from "../plan/run_plan.ts";
import { describeSetupOp } from "../plan/setup_ops.ts";
import { UsageError } from "../errors.ts";

/** A caller with an empty environment and a clean signal state. */
const CALLER = { env: [], signals: { ignored: [], blocked: [] } };

Deno.test("run plan: defaults are five namespaces, hostname mntns, private", () => {
  assert.deepEqual(parseRunArgs(["true"], CALLER), {
    namespaces: { uts: true, pid: true, ipc: true, net: true, cgroup: false },
    hostname: "mntns",
    propagation: "private",
    init: false,
    rootfs: null,
    readOnly: false,
    mounts: [],
    wd: null,
    command: { file: "true", argv: ["true"], env: [], signals: CALLER.signals },
    infoFd: null,
  });
});

Deno.test("run plan: the command gets the caller's environment with --env, and its signals", () => {
  const caller = {
    env: ["A=1", "SHELL=/bin/bash", "K=old"],
    signals: { ignored: [1], blocked: [10] },
  };
  const plan = parseRunArgs(["--env", "K=new"], caller);
  assert.ok(plan !== null);
  assert.deepEqual(plan.command, {
    file: "/bin/bash",
    argv: ["-bash"],
    env: ["A=1", "SHELL=/bin/bash", "K=new"],
    signals: caller.signals,
  });
});

Deno.test("run plan: setup operations in order, printable", () => {
  const plan = parseRunArgs(
    [
      "--no-ipc",
      "--rootfs",
      "/srv/r",
      "--read-only",
      "--tmpfs",
      "/tmp",
      "--ro-bind",
      "/etc:/etc",
      "true",
    ],
    CALLER,
  );
  assert.ok(plan !== null);
  const ops = runSetupOps(plan);
  assert.deepEqual(ops.map((op) => op.op), [
    "unshare",
    "loopback",
    "hostname",
    "root-propagation",
    "rootfs",
    "tmpfs",
    "bind",
    "read-only-root",
    "pivot-root",
    "proc",
  ]);
  assert.deepEqual(ops[0], {
    op: "unshare",
    namespaces: ["mnt", "uts", "net"],
  });
  assert.deepEqual(ops[6], {
    op: "bind",
    source: "/etc",
    target: "/etc",
    root: "/srv/r",
    readOnly: true,
  });
  assert.equal(
    describeSetupOp(ops[5]),
    "tmpfs        /tmp (inside /srv/r) (nosuid, nodev, mode 0755)",
  );
  const unchanged = parseRunArgs(
    ["--no-pid", "--no-net", "--no-uts", "--propagation", "unchanged", "true"],
    CALLER,
  );
  assert.ok(unchanged !== null);
  assert.deepEqual(runSetupOps(unchanged), [
    { op: "unshare", namespaces: ["mnt", "ipc"] },
  ]);
});

Deno.test("run plan: options, mounts in order, command after the first word", () => {
  const plan = parseRunArgs(
    [
      "--no-net",
      "--no-ipc",
      "--cgroup",
      "--init",
      "--hostname",
      "box",
      "--tmpfs",
      "/a",
      "--bind",
      "/src:/a/b",
      "--ro-bind",
      "/etc:/etc",
      "--rootfs",
      "/srv/r",
      "--read-only",
      "--env",
      "K=V",
      "--wd",
      "/tmp",
      "ls",
      "--init",
    ],
    CALLER,
  );
  assert.ok(plan !== null);
  assert.deepEqual(plan.namespaces, {
    uts: true,
    pid: true,
    ipc: false,
    net: false,
    cgroup: true,
  });
  assert.deepEqual(plan.mounts, [
    { kind: "tmpfs", target: "/a" },
    { kind: "bind", source: "/src", target: "/a/b" },
    { kind: "ro-bind", source: "/etc", target: "/etc" },
  ]);
  assert.deepEqual(plan.command.argv, ["ls", "--init"]);
  assert.equal(plan.init, true);
  assert.equal(plan.readOnly, true);
  assert.equal(plan.hostname, "box");
});

Deno.test("run plan: no command runs $SHELL as a login shell", () => {
  const plan = parseRunArgs([], { ...CALLER, env: ["SHELL=/bin/bash"] });
  assert.ok(plan !== null);
  assert.deepEqual(
    [plan.command.file, plan.command.argv],
    ["/bin/bash", ["-bash"]],
  );
});

Deno.test("run plan: wrong words are usage errors", () => {
  const cases: [string[], RegExp][] = [
    [["--no-uts", "--hostname", "x"], /--hostname needs a UTS namespace/],
    [["--read-only", "true"], /--read-only needs --rootfs/],
    [["--bind", "nocolon", "true"], /--bind takes SRC:DST, not 'nocolon'/],
    [
      ["--bind", "a\\:b", "true"],
      /--bind takes SRC:DST, not 'a\\:b' \(write a colon in a path as \\:\)/,
    ],
    [["--ro-bind", ":/mnt", "true"], /--ro-bind takes SRC:DST, not ':\/mnt'/],
    [["--bind", "/src:", "true"], /--bind takes SRC:DST, not '\/src:'/],
    [
      ["--no-pid", "--init", "true"],
      /^--init needs a PID namespace to be PID 1 of: drop --no-pid$/,
    ],
    [["--env", "=V", "true"], /--env takes K=V, not '=V'/],
    [["--propagation", "rshared"], /unsupported propagation mode 'rshared'/],
    [["--hostname", "x".repeat(65)], /is 65 bytes; it must be 1 to 64/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseRunArgs(args, CALLER), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("run plan: --env replaces every earlier K= entry in place", () => {
  assert.deepEqual(
    commandEnvironment(["A=1", "B=2", "A=x", "C"], ["A=3", "D=4", "B="]),
    ["A=3", "B=", "C", "D=4"],
  );
});

Deno.test("run plan: a backslash escapes a colon or a backslash in --bind", () => {
  const cases: [string, string, string][] = [
    ["a\\:b:/mnt", "a:b", "/mnt"],
    ["/src:/dst\\:x", "/src", "/dst:x"],
    ["/s\\\\:/d", "/s\\", "/d"],
    ["/s\\\\\\::/d", "/s\\:", "/d"],
    ["/a\\b:/c\\", "/a\\b", "/c\\"],
    ["/a:/b:c", "/a", "/b:c"],
  ];
  for (const [value, source, target] of cases) {
    const plan = parseRunArgs(
      ["--bind", value, "--ro-bind", value, "true"],
      CALLER,
    );
    assert.ok(plan !== null);
    assert.deepEqual(plan.mounts, [
      { kind: "bind", source, target },
      { kind: "ro-bind", source, target },
    ], value);
  }
});
