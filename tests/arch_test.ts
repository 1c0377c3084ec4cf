/**
 * The architecture-specific part of the libc binding, in the deno that runs
 * mntns: its system-call table and O_DIRECTORY are those of its own
 * architecture, and under emulation (`deno task test:arm64`) qemu-user's
 * log of the system calls, which it decodes with the emulated
 * architecture's table, shows the calls mntns meant reaching the kernel:
 * `pivot_root`, `rt_sigaction`, `rt_sigprocmask`, `signalfd4`, the
 * loopback's `ioctl`s, `posix_spawn`'s `clone` and an `open` with
 * O_DIRECTORY.
 */
import assert from "node:assert/strict";
import { architectureFor } from "../ffi/constants.ts";
import { elfArchitecture, MNTNS_DENO, MNTNS_EMULATED } from "./under_test.ts";
import { emulatorRefusesRootfs, expectCode, mntns, run } from "./processes.ts";
import { rootTest } from "./namespaces.ts";
import { makeMiniRoot } from "../scripts/mini_root.ts";

Deno.test("the deno that runs mntns uses its own architecture's system-call numbers and O_DIRECTORY", async () => {
  const arch = elfArchitecture(MNTNS_DENO);
  assert.ok(arch !== null, `${MNTNS_DENO} is not an ELF executable`);
  const constants = new URL("../ffi/constants.ts", import.meta.url).href;
  const outcome = expectCode(
    await run([
      MNTNS_DENO,
      "eval",
      `import { architecture } from "${constants}";
      const syscalls = Object.entries(architecture().syscalls).map(([name, nr]) => [name, String(nr)]);
      console.log(JSON.stringify({ arch: Deno.build.arch, syscalls: Object.fromEntries(syscalls), oDirectory: architecture().oDirectory }));`,
    ]),
    0,
  );
  const seen = JSON.parse(outcome.stdout);
  assert.equal(seen.arch, arch);
  const expected = Object.entries(architectureFor(arch).syscalls).map((
    [name, nr],
  ) => [name, String(nr)]);
  assert.deepEqual(seen.syscalls, Object.fromEntries(expected));
  assert.equal(seen.oDirectory, architectureFor(arch).oDirectory);
});

/**
 * What qemu-user's log must hold when mntns runs `run --init --rootfs`
 * under emulation. qemu names each call by the emulated architecture's
 * numbers: had mntns passed x86_64's 155 for pivot_root, an aarch64 kernel
 * would have run getpgid, and the log would say so. (The exec stage's own
 * `execve("/bin/sh", ...)` line was missing from its log in one loaded run
 * of five, its `rt_sigaction` line before it there, and the loopback's
 * `ioctl` line in one loaded CI run; why is not known. The command's output
 * shows the exec instead, and the test takes three runs' logs together.)
 */
function expectedCalls(root: string): [string, RegExp][] {
  return [
    [
      "open with O_DIRECTORY",
      new RegExp(
        `^\\d+ openat\\(AT_FDCWD,"${
          RegExp.escape(root)
        }",O_RDONLY\\|O_DIRECTORY\\|O_CLOEXEC\\) = \\d+$`,
        "m",
      ),
    ],
    ["pivot_root", /^\d+ pivot_root\(.*\) = 0$/m],
    ["the loopback's ioctls", /^\d+ ioctl\(\d+,SIOCSIFFLAGS,.*\) = 0$/m],
    ["posix_spawn", /^\d+ clone\(CLONE_VM\|CLONE_VFORK\|/m],
    ["signalfd", /^\d+ signalfd4\(-1,\d+,8,524288,.*\) = \d+$/m],
    [
      "SIGPIPE reset by rt_sigaction",
      /^\d+ rt_sigaction\(SIGPIPE,0x[0-9a-f]+,NULL\) = 0$/m,
    ],
    [
      "a mask set by rt_sigprocmask",
      /^\d+ rt_sigprocmask\(SIG_SETMASK,0x[0-9a-f]+,NULL\) = 0$/m,
    ],
  ];
}

rootTest(
  "run --init --rootfs makes its calls by this architecture's numbers",
  async () => {
    const root = Deno.makeTempDirSync({ prefix: "mntns-root-" });
    try {
      await makeMiniRoot(root);
      if (await emulatorRefusesRootfs(root)) return;
      // qemu-user's log loses a line now and then on a loaded machine (see
      // expectedCalls): every expected call must show in one of three runs'
      // logs; mntns makes the same calls each time.
      const logs: string[] = [];
      let missing: string[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        logs.push(await runLogged(root));
        if (!MNTNS_EMULATED) return;
        const log = logs.join("\n");
        missing = expectedCalls(root)
          .filter(([, pattern]) => !pattern.test(log))
          .map(([what]) => what);
        if (missing.length === 0) return;
      }
      assert.fail(`not in qemu-user's logs of 3 runs: ${missing.join(", ")}`);
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
);

/**
 * Runs `run --init --rootfs root` (under emulation with qemu-user's strace
 * log on, one file a process); checks what it printed and returns the log.
 */
async function runLogged(root: string): Promise<string> {
  const logs = Deno.makeTempDirSync({ prefix: "mntns-qemu-log-" });
  try {
    // qemu-user puts the pid where %d is.
    const env = MNTNS_EMULATED
      ? { QEMU_LOG: "strace", QEMU_LOG_FILENAME: `${logs}/%d` }
      : undefined;
    const outcome = expectCode(
      await mntns([
        "run",
        "--init",
        "--rootfs",
        root,
        "--",
        "/bin/sh",
        "-c",
        "cat /etc/marker; ls /",
      ], { env }),
      0,
    );
    // The new root's own entries, and the minimal /dev made in it.
    assert.deepEqual(outcome.stdout.split("\n").slice(0, 4), [
      "mini root",
      "bin",
      "dev",
      "etc",
    ]);
    return [...Deno.readDirSync(logs)]
      .map((entry) => Deno.readTextFileSync(`${logs}/${entry.name}`))
      .join("\n");
  } finally {
    Deno.removeSync(logs, { recursive: true });
  }
}
