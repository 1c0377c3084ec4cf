import assert from "node:assert/strict";
import {
  architecture,
  architectureFor,
  PROC_CONNECTOR,
  SOCK_NONBLOCK,
  type SyscallNumbers,
} from "./constants.ts";

Deno.test("system call numbers and O_DIRECTORY: x86_64 and aarch64 known, anything else refused in one line", () => {
  assert.equal(architectureFor("x86_64").syscalls.pivot_root, 155n);
  assert.equal(architectureFor("aarch64").syscalls.pivot_root, 41n);
  assert.equal(architecture(), architectureFor(Deno.build.arch));
  // <asm/fcntl.h>: arm64 has O_DIRECTORY where x86_64 has O_DIRECT, and back.
  assert.equal(architectureFor("x86_64").oDirectory, 0o200000);
  assert.equal(architectureFor("aarch64").oDirectory, 0o40000);
  // The same swap for O_NOFOLLOW and O_LARGEFILE.
  assert.equal(architectureFor("x86_64").oNofollow, 0o400000);
  assert.equal(architectureFor("aarch64").oNofollow, 0o100000);
  assert.throws(
    () => architectureFor("riscv64"),
    /^Error: mntns knows the system call numbers and flags of x86_64 and aarch64, not riscv64 — it cannot run on this machine$/,
  );
});

Deno.test("system call numbers: known values of the kernel's tables, both architectures, one number a call", () => {
  // arch/x86/entry/syscalls/syscall_64.tbl and include/uapi/asm-generic/unistd.h.
  const known: Record<string, Partial<SyscallNumbers>> = {
    x86_64: {
      read: 0n,
      openat: 257n,
      ppoll: 271n,
      wait4: 61n,
      signalfd4: 289n,
      execve: 59n,
      setresuid: 117n,
      statx: 332n,
      fcntl: 72n,
      pidfd_open: 434n,
      madvise: 28n,
      getpriority: 140n,
      setpriority: 141n,
    },
    aarch64: {
      read: 63n,
      openat: 56n,
      ppoll: 73n,
      wait4: 260n,
      signalfd4: 74n,
      execve: 221n,
      setresuid: 147n,
      statx: 291n,
      fcntl: 25n,
      pidfd_open: 434n,
      madvise: 233n,
      getpriority: 141n,
      setpriority: 140n,
    },
  };
  for (const [arch, expected] of Object.entries(known)) {
    const table = architectureFor(arch).syscalls;
    for (const [name, number] of Object.entries(expected)) {
      assert.equal(
        table[name as keyof SyscallNumbers],
        number,
        `${arch} ${name}`,
      );
    }
    const numbers = Object.values(table);
    assert.equal(
      new Set(numbers).size,
      numbers.length,
      `${arch}: a number twice`,
    );
  }
  assert.deepEqual(
    Object.keys(architectureFor("aarch64").syscalls),
    Object.keys(architectureFor("x86_64").syscalls),
  );
});

/** `#define __NR_name N` lines of a UAPI header (`__NR3264_` too), or null when it is not installed. */
function headerNumbers(path: string): Map<string, bigint> | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const numbers = new Map<string, bigint>();
  for (
    const [, name, value] of text.matchAll(
      /^#define __NR(?:3264)?_(\w+)\s+(\d+)\s*$/gm,
    )
  ) {
    numbers.set(name, BigInt(value));
  }
  return numbers;
}

Deno.test({
  name:
    "system call numbers: every one as the installed kernel headers define it (linux-libc-dev)",
  ignore: headerNumbers("/usr/include/asm-generic/unistd.h") === null,
  fn(): void {
    const headers: [string, string][] = [
      ["x86_64", "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"],
      ["aarch64", "/usr/include/asm-generic/unistd.h"],
    ];
    for (const [arch, path] of headers) {
      const defined = headerNumbers(path);
      if (defined === null) continue;
      for (
        const [name, number] of Object.entries(architectureFor(arch).syscalls)
      ) {
        assert.equal(number, defined.get(name), `${arch} ${name} (${path})`);
      }
    }
  },
});

Deno.test("process events connector constants: as <linux/netlink.h>, <linux/connector.h>, <linux/cn_proc.h> and <asm-generic/socket.h> define them", () => {
  // The headers' values (linux-libc-dev, Linux 6.x).
  assert.deepEqual(PROC_CONNECTOR, {
    AF_NETLINK: 16,
    NETLINK_CONNECTOR: 11,
    CN_IDX_PROC: 0x1,
    CN_VAL_PROC: 0x1,
    NLMSG_DONE: 0x3,
    MCAST_LISTEN: 1,
    EVENT_EXEC: 0x2,
    SOL_SOCKET: 1,
    SO_RCVBUFFORCE: 33,
  });
  assert.equal(SOCK_NONBLOCK, 0o4000);
});
