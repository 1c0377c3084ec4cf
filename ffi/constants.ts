/**
 * Flag values and system call numbers from the Linux UAPI headers.
 *
 * @module
 */

/** `mount(2)` flags (`<sys/mount.h>`). */
export const MS = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  REMOUNT: 0x20,
  NOSYMFOLLOW: 0x100,
  NOATIME: 0x400,
  NODIRATIME: 0x800,
  BIND: 0x1000,
  REC: 0x4000,
  UNBINDABLE: 0x20000,
  PRIVATE: 0x40000,
  SLAVE: 0x80000,
  SHARED: 0x100000,
  RELATIME: 0x200000,
  STRICTATIME: 0x1000000,
} as const;

/**
 * Close-on-exec as a flag of `open`, `pipe2`, `socket` (SOCK_CLOEXEC) and
 * `signalfd` (SFD_CLOEXEC): the same bit for all of them on Linux.
 */
export const O_CLOEXEC = 0o2000000;

/** `umount2(2)` flags. */
export const MNT_DETACH = 0x2;

/**
 * `unshare(2)` / `clone(2)` flags (`<sched.h>`): the namespaces, and FS (the
 * root, working directory and umask, which a process's threads share).
 */
export const CLONE = {
  FS: 0x00000200,
  NEWNS: 0x00020000,
  NEWCGROUP: 0x02000000,
  NEWUTS: 0x04000000,
  NEWIPC: 0x08000000,
  NEWPID: 0x20000000,
  NEWNET: 0x40000000,
} as const;

/**
 * Each namespace's `CLONE_NEW*` value, by the name of its file in
 * `/proc/PID/ns/` (user and time too: `NS_GET_NSTYPE` may name them).
 */
export const NAMESPACE_FLAGS = {
  mnt: CLONE.NEWNS,
  uts: CLONE.NEWUTS,
  ipc: CLONE.NEWIPC,
  net: CLONE.NEWNET,
  pid: CLONE.NEWPID,
  cgroup: CLONE.NEWCGROUP,
  user: 0x10000000,
  time: 0x00000080,
} as const;

/** `prctl(2)` options. */
export const PR_SET_PDEATHSIG = 1;

/** `prctl(2)` options for capabilities and privileges (`<linux/prctl.h>`). */
export const PR = {
  SET_KEEPCAPS: 8,
  CAPBSET_READ: 23,
  CAPBSET_DROP: 24,
  SET_NO_NEW_PRIVS: 38,
  CAP_AMBIENT: 47,
  CAP_AMBIENT_RAISE: 2,
  CAP_AMBIENT_CLEAR_ALL: 4,
} as const;

/** System call numbers mntns makes through `syscall(2)`, per architecture. */
export interface SyscallNumbers {
  readonly rt_sigaction: bigint;
  readonly rt_sigprocmask: bigint;
  readonly pivot_root: bigint;
  readonly pidfd_open: bigint;
}

const X86_64_SYSCALLS: SyscallNumbers = {
  rt_sigaction: 13n,
  rt_sigprocmask: 14n,
  pivot_root: 155n,
  pidfd_open: 434n,
};

const AARCH64_SYSCALLS: SyscallNumbers = {
  rt_sigaction: 134n,
  rt_sigprocmask: 135n,
  pivot_root: 41n,
  pidfd_open: 434n,
};

/** What mntns passes to the kernel that differs between architectures. */
interface Architecture {
  readonly syscalls: SyscallNumbers;
  /**
   * `open(2)`'s O_DIRECTORY (`<asm/fcntl.h>`): arm64 swaps it with O_DIRECT,
   * so x86_64's value asks an aarch64 kernel for O_DIRECT (EINVAL on a
   * directory).
   */
  readonly oDirectory: number;
}

const BY_ARCH: Readonly<Record<string, Architecture>> = {
  x86_64: { syscalls: X86_64_SYSCALLS, oDirectory: 0o200000 },
  aarch64: { syscalls: AARCH64_SYSCALLS, oDirectory: 0o40000 },
};

function architecture(arch: string): Architecture {
  const known = BY_ARCH[arch];
  if (known === undefined) {
    throw new Error(
      `mntns knows the system call numbers and flags of x86_64 and aarch64, not ${arch} — it cannot run on this machine`,
    );
  }
  return known;
}

/**
 * The system call numbers of an architecture; anything but x86_64 and
 * aarch64 is refused in one line (never another architecture's numbers).
 *
 * @example
 * ```ts
 * syscallNumbersFor("aarch64").pivot_root; // 41n
 * ```
 */
export function syscallNumbersFor(arch: string): SyscallNumbers {
  return architecture(arch).syscalls;
}

/**
 * The system call numbers of the architecture this runs on.
 *
 * @example
 * ```ts
 * syscallNumbers().pidfd_open; // 434n
 * ```
 */
export function syscallNumbers(): SyscallNumbers {
  return syscallNumbersFor(Deno.build.arch);
}

/**
 * `open(2)`'s O_DIRECTORY on an architecture (0o200000 on x86_64, 0o40000
 * on aarch64); anything but x86_64 and aarch64 is refused in one line.
 *
 * @example
 * ```ts
 * openDirectoryFlagFor("aarch64"); // 0o40000
 * ```
 */
export function openDirectoryFlagFor(arch: string): number {
  return architecture(arch).oDirectory;
}

/**
 * `open(2)`'s O_DIRECTORY on the architecture this runs on.
 *
 * @example
 * ```ts
 * import { cString } from "./cstring.ts";
 * import { libc } from "./libc.ts";
 * libc().open(cString("/"), openDirectoryFlag() | O_CLOEXEC, 0);
 * ```
 */
export function openDirectoryFlag(): number {
  return openDirectoryFlagFor(Deno.build.arch);
}
