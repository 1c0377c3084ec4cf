import assert from "node:assert/strict";
import { parseRunArgs } from "./run.ts";
import {
  commandEnvironment,
  defaultTmpfsMode,
  runSetupOps,
} from "../plan/run_plan.ts";
import { describeSetupOp } from "../plan/setup_ops.ts";
import {
  NO_PRIVILEGE_CHANGE,
  type PrivilegeRequest,
} from "../plan/privileges.ts";
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
    dev: false,
    maskProc: false,
    privileges: NO_PRIVILEGE_CHANGE,
    dieWithParent: true,
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
    "dev",
    "tmpfs",
    "bind",
    "read-only-root",
    "pivot-root",
    "proc",
    "mask-proc",
  ]);
  assert.deepEqual(ops[0], {
    op: "unshare",
    namespaces: ["mnt", "uts", "net"],
  });
  assert.deepEqual(ops[7], {
    op: "bind",
    source: "/etc",
    target: "/etc",
    root: "/srv/r",
    readOnly: true,
  });
  assert.equal(
    describeSetupOp(ops[6]),
    "tmpfs        /tmp (inside /srv/r) (nosuid, nodev, mode 1777)",
  );
  assert.equal(
    describeSetupOp(ops[7]),
    "ro-bind      /etc at /etc (inside /srv/r), recursively, every mount nosuid, nodev, read-only with its other flags kept",
  );
  const unmasked = parseRunArgs(
    ["--rootfs", "/srv/r", "--unmasked-proc", "true"],
    CALLER,
  );
  assert.ok(unmasked !== null);
  assert.equal(unmasked.maskProc, false);
  assert.deepEqual(runSetupOps(unmasked).slice(-2), [
    { op: "pivot-root", dir: "/srv/r" },
    { op: "proc" },
  ]);
  assert.throws(
    () => parseRunArgs(["--unmasked-proc", "true"], CALLER),
    (error: unknown) =>
      error instanceof UsageError &&
      error.message === "--unmasked-proc needs --rootfs",
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
    commandEnvironment(["A=1", "B=2", "A=x", "C"], [
      { set: "A=3" },
      { set: "D=4" },
      { set: "B=" },
    ]),
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

Deno.test("run plan: --dev-bind, --tmpfs with --tmpfs-mode/--tmpfs-size, --dir and --symlink in order after the minimal /dev", () => {
  const plan = parseRunArgs(
    [
      "--rootfs",
      "/srv/r",
      "--tmpfs",
      "/tmp",
      "--tmpfs-mode",
      "700",
      "--tmpfs-size",
      "1m",
      "--tmpfs",
      "/a",
      "--tmpfs",
      "/var/tmp",
      "--dir",
      "/a/b",
      "--symlink",
      "usr/bin:/bin",
      "--dev-bind",
      "/dev/fuse:/dev/fuse",
      "true",
    ],
    CALLER,
  );
  assert.ok(plan !== null);
  assert.deepEqual(plan.mounts, [
    { kind: "tmpfs", target: "/tmp" },
    { kind: "tmpfs", target: "/a", mode: 0o700, size: "1m" },
    { kind: "tmpfs", target: "/var/tmp" },
    { kind: "dir", target: "/a/b" },
    { kind: "symlink", source: "usr/bin", target: "/bin" },
    { kind: "dev-bind", source: "/dev/fuse", target: "/dev/fuse" },
  ]);
  const ops = runSetupOps(plan);
  assert.deepEqual(
    ops.map(describeSetupOp).slice(5, 12),
    [
      "dev          /dev (inside /srv/r): tmpfs 0755 with null, zero, full, random, urandom, tty from the host; pts (new devpts); shm (tmpfs 1777); links fd, stdin, stdout, stderr, ptmx",
      "tmpfs        /tmp (inside /srv/r) (nosuid, nodev, mode 1777)",
      "tmpfs        /a (inside /srv/r) (nosuid, nodev, mode 0700, size 1m)",
      "tmpfs        /var/tmp (inside /srv/r) (nosuid, nodev, mode 1777)",
      "dir          /a/b (inside /srv/r)",
      "symlink      /bin (inside /srv/r) -> usr/bin",
      "dev-bind     /dev/fuse at /dev/fuse (inside /srv/r), recursively, nosuid with its flags kept (devices usable)",
    ],
  );
  const noDev = parseRunArgs(
    ["--rootfs", "/srv/r", "--no-dev", "true"],
    CALLER,
  );
  assert.ok(noDev !== null);
  assert.ok(!runSetupOps(noDev).some((op) => op.op === "dev"));
  const noRoot = parseRunArgs(["--tmpfs", "/tmp", "true"], CALLER);
  assert.ok(noRoot !== null);
  assert.ok(!runSetupOps(noRoot).some((op) => op.op === "dev"));
});

Deno.test("run plan: tmpfs modes by default: 1777 for /tmp and /var/tmp, else 0755", () => {
  const cases: [string, number][] = [
    ["/tmp", 0o1777],
    ["/tmp/", 0o1777],
    ["//var//tmp", 0o1777],
    ["/var/tmp/x", 0o755],
    ["/mnt", 0o755],
    ["tmp", 0o1777],
  ];
  for (const [target, mode] of cases) {
    assert.equal(defaultTmpfsMode(target), mode, target);
  }
});

Deno.test("run plan: privilege options; no_new_privs whenever privilege is dropped, unless --new-privs", () => {
  const privileges = (args: string[]): PrivilegeRequest =>
    parseRunArgs([...args, "true"], CALLER)!.privileges;
  assert.deepEqual(privileges([]), NO_PRIVILEGE_CHANGE);
  assert.deepEqual(
    privileges([
      "--user",
      "65534:65534",
      "--cap-drop",
      "ALL",
      "--cap-add",
      "net_bind_service,CAP_KILL",
      "--new-session",
    ]),
    {
      user: "65534:65534",
      capabilities: [
        { change: "drop", capabilities: "all" },
        { change: "add", capabilities: [10, 5] },
      ],
      noNewPrivs: true,
      newSession: true,
    },
  );
  assert.equal(privileges(["--user", "nobody"]).noNewPrivs, true);
  assert.equal(privileges(["--cap-drop", "sys_admin"]).noNewPrivs, true);
  assert.equal(
    privileges(["--user", "nobody", "--new-privs"]).noNewPrivs,
    false,
  );
  assert.equal(privileges(["--new-session"]).noNewPrivs, false);
  const plan = parseRunArgs(["--no-die-with-parent", "true"], CALLER);
  assert.equal(plan?.dieWithParent, false);
});

Deno.test("run plan: --clearenv, --unsetenv and --env apply in order", () => {
  const caller = { ...CALLER, env: ["A=1", "B=2", "A=3", "SHELL=/bin/sh"] };
  const env = (args: string[]): readonly string[] =>
    parseRunArgs([...args, "true"], caller)!.command.env;
  assert.deepEqual(env(["--unsetenv", "A"]), ["B=2", "SHELL=/bin/sh"]);
  assert.deepEqual(env(["--clearenv", "--env", "K=V"]), ["K=V"]);
  assert.deepEqual(env(["--env", "K=V", "--clearenv"]), []);
  assert.deepEqual(env(["--env", "A=9", "--unsetenv", "B"]), [
    "A=9",
    "SHELL=/bin/sh",
  ]);
  // The default shell is the caller's $SHELL, whatever --clearenv does.
  const shell = parseRunArgs(["--clearenv"], caller);
  assert.deepEqual(shell?.command.argv, ["-sh"]);
});

Deno.test("run plan: wrong rootfs and privilege words are usage errors", () => {
  const cases: [string[], RegExp][] = [
    [
      ["--dir", "/a", "true"],
      /^--dir needs --rootfs: it makes its directory inside the new root$/,
    ],
    [
      ["--symlink", "a:/b", "true"],
      /^--symlink needs --rootfs: it makes its link inside the new root$/,
    ],
    [
      ["--rootfs", "/r", "--symlink", "a", "true"],
      /^--symlink takes TARGET:DST, not 'a'/,
    ],
    [
      ["--dev-bind", "/dev/null", "true"],
      /^--dev-bind takes SRC:DST, not '\/dev\/null'/,
    ],
    [["--no-dev", "true"], /^--no-dev needs --rootfs$/],
    [
      ["--tmpfs-mode", "800", "--tmpfs", "/t", "true"],
      /^--tmpfs-mode takes an octal mode such as 1777 or 700, not '800'$/,
    ],
    [
      ["--tmpfs-size", "0", "--tmpfs", "/t", "true"],
      /^--tmpfs-size takes a size such as 64m, 1g, 1048576 or 50%, not '0'$/,
    ],
    [
      ["--tmpfs-size", "1x", "--tmpfs", "/t", "true"],
      /^--tmpfs-size takes a size/,
    ],
    [
      ["--tmpfs", "/t", "--tmpfs-mode", "700", "true"],
      /^--tmpfs-mode 700 applies to the next --tmpfs, and none follows it$/,
    ],
    [
      ["--tmpfs-size", "1m", "true"],
      /^--tmpfs-size 1m applies to the next --tmpfs/,
    ],
    [
      ["--user", "a:b:c", "true"],
      /^--user takes USER\[:GROUP\] \(each a name or a number\), not 'a:b:c'$/,
    ],
    [["--user", ":5", "true"], /^--user takes USER\[:GROUP\]/],
    [
      ["--cap-drop", "CAP_BOGUS", "true"],
      /^--cap-drop: unknown capability 'CAP_BOGUS'/,
    ],
    [["--cap-add", "net_raw,", "true"], /^--cap-add: unknown capability ''/],
    [
      ["--unsetenv", "A=B", "true"],
      /^--unsetenv takes a variable's name, not 'A=B'$/,
    ],
    [
      ["--die-with-parent", "--no-die-with-parent", "true"],
      /exclude each other/,
    ],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseRunArgs(args, CALLER), (error: unknown) => {
      assert.ok(error instanceof UsageError, args.join(" "));
      assert.match(error.message, message);
      return true;
    });
  }
});
