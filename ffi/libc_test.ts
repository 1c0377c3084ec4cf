import assert from "node:assert/strict";
import { lastErrno, LIBC_CANDIDATES, systemCall } from "./libc.ts";
import { fixedBytes } from "./memory.ts";
import { fileExists } from "../tests/file_exists.ts";

Deno.test("LIBC_CANDIDATES: this architecture's glibc opens by its absolute path; another architecture's is refused", () => {
  const own = `/${Deno.build.arch}-linux-gnu/`;
  const opened: string[] = [];
  const refused: string[] = [];
  for (const candidate of LIBC_CANDIDATES) {
    if (!candidate.startsWith("/") || !fileExists(candidate)) continue;
    try {
      const library = Deno.dlopen(candidate, {
        getpid: { parameters: [], result: "i32" },
      });
      assert.equal(library.symbols.getpid(), Deno.pid, candidate);
      library.close();
      opened.push(candidate);
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      refused.push(candidate);
    }
  }
  assert.ok(
    opened.some((path) => path.includes(own)),
    `no candidate in ${own} opened; opened: ${opened.join(", ")}`,
  );
  const foreign = opened.filter((path) =>
    path.includes("-linux-gnu/") && !path.includes(own)
  );
  assert.deepEqual(foreign, [], "another architecture's glibc opened");
  for (const path of refused) assert.ok(!path.includes(own), path);
});

Deno.test("systemCall: small buffers by address round-trip, errno read at once, results are numbers", () => {
  const fds = new Int32Array(new ArrayBuffer(8));
  assert.equal(systemCall("pipe2", fds, 0), 0);
  try {
    for (let round = 0; round < 200; round++) {
      // Garbage between the calls gives the collector work to do.
      const junk = Array.from({ length: 50 }, (_, i) => new Uint8Array(i));
      const out = fixedBytes(3);
      out.set([round & 0xff, 7, junk.length]);
      assert.equal(systemCall("write", fds[1], out, 3), 3);
      const back = fixedBytes(3);
      assert.equal(systemCall("read", fds[0], back, 3), 3);
      assert.deepEqual([...back], [round & 0xff, 7, 50]);
    }
  } finally {
    systemCall("close", fds[0]);
    systemCall("close", fds[1]);
  }
  assert.equal(systemCall("close", -1), -1);
  assert.equal(lastErrno(), 9); // EBADF
  assert.equal(typeof systemCall("kill", Deno.pid, 0), "number");
});

Deno.test("a process binds errno's address and syscall for every system call; posix_spawn and environ only when it spawns", async () => {
  const ffi = (file: string): string => new URL(file, import.meta.url).href;
  const script = `
    import { libc } from "${ffi("./libc.ts")}";
    import { SyscallError } from "${ffi("./errno.ts")}";
    import { closeFd, descriptorState, isReadable, openReadOnly, pidfdOpen, readFromStart, setCloseOnExec } from "${
    ffi("./fds.ts")
  }";
    import { makeGate, openGate, receiveMessage, sendMessage, waitAtGate } from "${
    ffi("./gate.ts")
  }";
    import { namespaceType, mountNamespaceId } from "${ffi("./namespaces.ts")}";
    import { pollFds, POLL } from "${ffi("./poll.ts")}";
    import { openSignalFd, sendSignal, setBlockedSignals } from "${
    ffi("./signals.ts")
  }";
    import { reapExited } from "${ffi("./wait.ts")}";
    import { threadAffinity } from "${ffi("./affinity.ts")}";
    import { fileType } from "${ffi("./path_lookup.ts")}";
    import { permittedCapabilities } from "${ffi("./privileges.ts")}";
    import { spawnProcess } from "${ffi("./spawn.ts")}";
    const bound = () => Object.entries(Object.getOwnPropertyDescriptors(libc()))
      .filter(([, d]) => "value" in d).map(([name]) => name).sort();
    const ns = openReadOnly("/proc/self/ns/mnt", { directory: false });
    // qemu-user (deno task test:arm64) knows no nsfs ioctl: ENOSYS.
    for (const ask of [namespaceType, mountNamespaceId]) {
      try { ask(ns); } catch (error) { if (!(error instanceof SyscallError)) throw error; }
    }
    setCloseOnExec(ns, true);
    descriptorState(ns);
    closeFd(ns);
    const info = openReadOnly("/proc/self/mountinfo", { directory: false });
    readFromStart(info, { maxBytes: 1 << 24, sizeHint: 0 });
    pollFds([{ fd: info, events: POLL.PRI }], 0);
    closeFd(info);
    const gate = makeGate();
    openGate(gate.writeFd);
    waitAtGate(gate.readFd);
    const pipe = makeGate();
    sendMessage(pipe.writeFd, new Uint8Array([1, 2, 3]));
    receiveMessage(pipe.readFd);
    const pidfd = pidfdOpen(Deno.pid);
    isReadable(pidfd);
    setBlockedSignals([]);
    closeFd(openSignalFd([10]));
    sendSignal(Deno.pid, 0);
    reapExited(-1);
    threadAffinity();
    fileType("/");
    permittedCapabilities();
    const before = bound();
    spawnProcess({ path: "/bin/true", argv: ["true"], blocked: [] });
    console.log(JSON.stringify({ before, after: bound() }));
  `;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdin: "null",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  const { before, after } = JSON.parse(
    new TextDecoder().decode(output.stdout),
  );
  assert.deepEqual(before, ["__errno_location", "syscall"]);
  assert.deepEqual(after, [
    "__errno_location",
    "environ",
    "posix_spawn",
    "syscall",
  ]);
});
