/**
 * The floor of `run`'s shape, for `deno task bench`: three tiny scripts that
 * do only what `mntns run -- true` must, with one `syscall` binding each and
 * no argument parsing, checks or errors. The parent unshares its children's
 * PID namespace, spawns the stage (a Deno start), takes its own PID namespace
 * back and execs the waiter; the stage sets PR_SET_PDEATHSIG, unshares the mount, UTS,
 * IPC and network namespaces, makes the root private, mounts /proc and execs
 * `true`; the waiter reaps it and exits with its status.
 *
 * @module
 */

import { architecture } from "../ffi/constants.ts";

const LIBRARY = `
const libc = Deno.dlopen("libc.so.6", {
  syscall: { parameters: ["i64", "i64", "i64", "i64", "i64", "i64", "i64"], result: "i64" },
  posix_spawn: { parameters: ["buffer", "buffer", "pointer", "pointer", "buffer", "pointer"], result: "i32" },
}).symbols;
const encoder = new TextEncoder();
const keep = [];
const address = (bytes) => (keep.push(bytes), Number(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes))));
const text = (s) => { const b = new Uint8Array(new ArrayBuffer(s.length * 3 + 1)); encoder.encodeInto(s, b); return b; };
const words = (list) => { const a = new BigUint64Array(new ArrayBuffer(8 * list.length + 8)); list.forEach((w, i) => a[i] = BigInt(address(text(w)))); return a; };
const sys = (n, ...a) => { while (a.length < 6) a.push(0); return Number(libc.syscall(n, ...a)); };
`;

/**
 * Writes the three scripts into `dir` for this architecture; returns the
 * parent's path (`deno run -A PATH` runs the whole shape).
 *
 * @example
 * ```ts
 * const parent = writeRunFloor(Deno.makeTempDirSync());
 * ```
 */
export function writeRunFloor(dir: string): string {
  const nr = architecture().syscalls;
  const deno = Deno.execPath();
  const flags = `["run", "-A", "--no-config", "--no-lock"]`;
  Deno.writeTextFileSync(
    `${dir}/floor_parent.js`,
    `${LIBRARY}
const own = sys(${nr.openat}, -100, address(text("/proc/self/ns/pid")), 0x80000, 0);
sys(${nr.unshare}, 0x20000000);
const pid = new Int32Array(new ArrayBuffer(4));
const stage = words([${JSON.stringify(deno)}, ...${flags}, ${
      JSON.stringify(`${dir}/floor_stage.js`)
    }]);
libc.posix_spawn(pid, text(${
      JSON.stringify(deno)
    }), null, null, stage, Deno.UnsafePointer.of(words([])));
// Threads cannot be made while the children's PID namespace differs.
sys(${nr.setns}, own, 0x20000000);
const wait = words([${JSON.stringify(deno)}, ...${flags}, ${
      JSON.stringify(`${dir}/floor_wait.js`)
    }, String(pid[0])]);
sys(${nr.execve}, address(text(${
      JSON.stringify(deno)
    })), address(wait), address(words([])));
`,
  );
  Deno.writeTextFileSync(
    `${dir}/floor_stage.js`,
    `${LIBRARY}
sys(${nr.prctl}, 1, 9);
sys(${nr.unshare}, 0x00020000 | 0x04000000 | 0x08000000 | 0x40000000);
sys(${nr.mount}, address(text("none")), address(text("/")), 0, 0x4000 | 0x40000, 0);
sys(${nr.mount}, address(text("proc")), address(text("/proc")), address(text("proc")), 2 | 4 | 8, 0);
sys(${nr.execve}, address(text("/bin/true")), address(words(["true"])), address(words([])));
`,
  );
  Deno.writeTextFileSync(
    `${dir}/floor_wait.js`,
    `${LIBRARY}
const status = new Int32Array(new ArrayBuffer(4));
sys(${nr.wait4}, Number(Deno.args[0]), address(status), 0, 0);
Deno.exit((status[0] >> 8) & 255);
`,
  );
  return `${dir}/floor_parent.js`;
}
