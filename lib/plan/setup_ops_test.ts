import assert from "node:assert/strict";
import {
  describeExec,
  describeSetupOp,
  entersNamespaces,
  octalMode,
  operationLine,
} from "./setup_ops.ts";

Deno.test("operation lines: the name padded, the text escaped for a terminal", () => {
  assert.equal(operationLine("chdir", "/"), "chdir        /");
  assert.equal(operationLine("dir", "/a\nb"), "dir          /a\\x0ab");
  assert.equal(octalMode(0o755), "0755");
  assert.equal(octalMode(0o1777), "1777");
});

Deno.test("describeSetupOp says where a path is inside a new root, and each mount's flags", () => {
  assert.equal(
    describeSetupOp({ op: "dir", target: "/a", root: "/srv/r" }),
    "dir          /a (inside /srv/r)",
  );
  assert.equal(
    describeSetupOp({
      op: "tmpfs",
      target: "/tmp",
      root: null,
      mode: 0o1777,
      size: "64m",
    }),
    "tmpfs        /tmp (nosuid, nodev, mode 1777, size 64m)",
  );
  assert.equal(
    describeSetupOp({ op: "unshare", namespaces: ["mnt", "uts"] }),
    "unshare      mnt uts",
  );
  assert.equal(
    describeSetupOp({ op: "root-propagation", mode: "private" }),
    "propagation  / private, recursively",
  );
});

Deno.test("entersNamespaces tells the namespace steps from the mounts", () => {
  assert.equal(entersNamespaces({ op: "unshare", namespaces: ["mnt"] }), true);
  assert.equal(entersNamespaces({ op: "loopback" }), true);
  assert.equal(entersNamespaces({ op: "chdir", dir: "/" }), false);
});

Deno.test("describeExec names the file, and argv[0] when it differs", () => {
  const signals = { ignored: [], blocked: [] };
  assert.equal(
    describeExec({ argv: ["ls", "-la"], env: [], signals }),
    "exec         ls -la",
  );
  assert.equal(
    describeExec({ file: "/bin/bash", argv: ["-bash"], env: [], signals }),
    "exec         -bash (file /bin/bash)",
  );
  assert.equal(
    describeExec({ argv: ["sh", "-c", "echo hi"], env: [], signals }),
    "exec         sh -c 'echo hi'",
  );
});
