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
  BIND: 0x1000,
  REC: 0x4000,
  UNBINDABLE: 0x20000,
  PRIVATE: 0x40000,
  SLAVE: 0x80000,
  SHARED: 0x100000,
} as const;

/**
 * Close-on-exec as a flag of `open`, `pipe2`, `socket` (SOCK_CLOEXEC) and
 * `signalfd` (SFD_CLOEXEC): the same bit for all of them on Linux.
 */
export const O_CLOEXEC = 0o2000000;

/** `openat(2)`'s and `statx(2)`'s directory for a relative path: the working directory. */
export const AT_FDCWD = -100;

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

/**
 * The process events connector (`<linux/netlink.h>`, `<linux/connector.h>`,
 * `<linux/cn_proc.h>`): a netlink socket of protocol NETLINK_CONNECTOR
 * bound to group CN_IDX_PROC hears of every process's fork, exec and exit.
 */
export const PROC_CONNECTOR = {
  AF_NETLINK: 16,
  NETLINK_CONNECTOR: 11,
  /** The group, and the connector id's `idx`. */
  CN_IDX_PROC: 1,
  /** The connector id's `val`. */
  CN_VAL_PROC: 1,
  /** `nlmsghdr.nlmsg_type` of a message to the kernel. */
  NLMSG_DONE: 3,
  /** `enum proc_cn_mcast_op`. */
  MCAST_LISTEN: 1,
  /** `enum proc_event`'s `what` of an exec. */
  EVENT_EXEC: 0x2,
  /** `setsockopt(2)`'s level of socket options (`<asm-generic/socket.h>`). */
  SOL_SOCKET: 1,
  /** The receive queue's size in bytes, past `rmem_max` (root). */
  SO_RCVBUFFORCE: 33,
} as const;

/** `socket(2)`'s type flag for a non-blocking socket (O_NONBLOCK on both architectures). */
export const SOCK_NONBLOCK = 0o4000;

/** `prctl(2)` options. */
export const PR_SET_PDEATHSIG = 1;

/** `madvise(2)`'s advice that the pages are not needed (`<asm-generic/mman-common.h>`). */
export const MADV_DONTNEED = 4;

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

/**
 * System call numbers of every call mntns makes (all through glibc's
 * `syscall(3)`: see ffi/libc.ts), per architecture. aarch64 has only the
 * newer calls of the generic table (no open, poll, waitpid, pipe,
 * signalfd): mntns makes those on both (openat, ppoll, wait4, pipe2,
 * signalfd4), so each wrapper has one code path. Each carries the kernel's
 * prototype: the arguments ffi/libc.ts `systemCall` passes, pointers as
 * addresses.
 */
export interface SyscallNumbers {
  /** ssize_t read(int fd, void *buf, size_t count); */
  readonly read: bigint;
  /** ssize_t write(int fd, const void *buf, size_t count); */
  readonly write: bigint;
  /** ssize_t pread64(int fd, void *buf, size_t count, loff_t offset); */
  readonly pread64: bigint;
  /** int openat(int dirfd, const char *path, int flags, umode_t mode); */
  readonly openat: bigint;
  /** int close(int fd); */
  readonly close: bigint;
  /** int fcntl(int fd, int cmd, unsigned long arg); */
  readonly fcntl: bigint;
  /** int pipe2(int fds[2], int flags); */
  readonly pipe2: bigint;
  /** int ioctl(int fd, unsigned int cmd, unsigned long arg); */
  readonly ioctl: bigint;
  /** int ppoll(struct pollfd *fds, unsigned int nfds, struct timespec *timeout, const sigset_t *mask, size_t sigsetsize); */
  readonly ppoll: bigint;
  /** int socket(int domain, int type, int protocol); */
  readonly socket: bigint;
  /** int chdir(const char *path); */
  readonly chdir: bigint;
  /** int fchdir(int fd); */
  readonly fchdir: bigint;
  /** int chroot(const char *path); */
  readonly chroot: bigint;
  /** int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf); */
  readonly statx: bigint;
  /** int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const void *data); */
  readonly mount: bigint;
  /** int umount2(const char *target, int flags); */
  readonly umount2: bigint;
  /** int pivot_root(const char *new_root, const char *put_old); */
  readonly pivot_root: bigint;
  /** int unshare(unsigned long flags); */
  readonly unshare: bigint;
  /** int setns(int fd, int nstype); */
  readonly setns: bigint;
  /** int sethostname(const char *name, int len); */
  readonly sethostname: bigint;
  /** int sched_setaffinity(pid_t pid, unsigned int len, const unsigned long *mask); */
  readonly sched_setaffinity: bigint;
  /** int sched_getaffinity(pid_t pid, unsigned int len, unsigned long *mask) — returns the bytes written; */
  readonly sched_getaffinity: bigint;
  /** int execve(const char *path, const char *const argv[], const char *const envp[]); */
  readonly execve: bigint;
  /** pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage); */
  readonly wait4: bigint;
  /** int kill(pid_t pid, int sig); */
  readonly kill: bigint;
  /** int rt_sigaction(int sig, const struct sigaction *act, struct sigaction *old, size_t sigsetsize); */
  readonly rt_sigaction: bigint;
  /** int rt_sigprocmask(int how, const sigset_t *set, sigset_t *old, size_t sigsetsize); */
  readonly rt_sigprocmask: bigint;
  /** int signalfd4(int fd, const sigset_t *mask, size_t sizemask, int flags); */
  readonly signalfd4: bigint;
  /** int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5); */
  readonly prctl: bigint;
  /** int capget(cap_user_header_t header, cap_user_data_t data); */
  readonly capget: bigint;
  /** int capset(cap_user_header_t header, const cap_user_data_t data); */
  readonly capset: bigint;
  /** int setgroups(int size, const gid_t *list); */
  readonly setgroups: bigint;
  /** int setresgid(gid_t rgid, gid_t egid, gid_t sgid); */
  readonly setresgid: bigint;
  /** int setresuid(uid_t ruid, uid_t euid, uid_t suid); */
  readonly setresuid: bigint;
  /** pid_t setsid(void); */
  readonly setsid: bigint;
  /** int pidfd_open(pid_t pid, unsigned int flags); */
  readonly pidfd_open: bigint;
  /** int openat2(int dirfd, const char *path, struct open_how *how, size_t size); */
  readonly openat2: bigint;
  /** int mkdirat(int dirfd, const char *path, umode_t mode); */
  readonly mkdirat: bigint;
  /** int symlinkat(const char *target, int newdirfd, const char *linkpath); */
  readonly symlinkat: bigint;
  /** ssize_t readlinkat(int dirfd, const char *path, char *buf, int size); */
  readonly readlinkat: bigint;
  /** int open_tree(int dirfd, const char *path, unsigned int flags); */
  readonly open_tree: bigint;
  /** int move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path, unsigned int flags); */
  readonly move_mount: bigint;
  /** int mount_setattr(int dirfd, const char *path, unsigned int flags, struct mount_attr *attr, size_t size); */
  readonly mount_setattr: bigint;

  // The process events connector (propagation watch).
  /** int bind(int fd, const struct sockaddr *addr, socklen_t len); */
  readonly bind: bigint;
  /** int setsockopt(int fd, int level, int name, const void *value, socklen_t len); */
  readonly setsockopt: bigint;

  /** int madvise(void *addr, size_t length, int advice); */
  readonly madvise: bigint;
}

/**
 * x86_64: the kernel's arch/x86/entry/syscalls/syscall_64.tbl (checked
 * against `<asm/unistd_64.h>` of linux-libc-dev).
 */
const X86_64_SYSCALLS: SyscallNumbers = {
  read: 0n,
  write: 1n,
  pread64: 17n,
  openat: 257n,
  close: 3n,
  fcntl: 72n,
  pipe2: 293n,
  ioctl: 16n,
  ppoll: 271n,
  socket: 41n,
  chdir: 80n,
  fchdir: 81n,
  chroot: 161n,
  statx: 332n,
  mount: 165n,
  umount2: 166n,
  pivot_root: 155n,
  unshare: 272n,
  setns: 308n,
  sethostname: 170n,
  sched_setaffinity: 203n,
  sched_getaffinity: 204n,
  execve: 59n,
  wait4: 61n,
  kill: 62n,
  rt_sigaction: 13n,
  rt_sigprocmask: 14n,
  signalfd4: 289n,
  prctl: 157n,
  capget: 125n,
  capset: 126n,
  setgroups: 116n,
  setresgid: 119n,
  setresuid: 117n,
  setsid: 112n,
  pidfd_open: 434n,
  openat2: 437n,
  mkdirat: 258n,
  symlinkat: 266n,
  readlinkat: 267n,
  open_tree: 428n,
  move_mount: 429n,
  mount_setattr: 442n,

  // The process events connector (propagation watch).
  bind: 49n,
  setsockopt: 54n,

  madvise: 28n,
};

/**
 * aarch64: the kernel's generic table, include/uapi/asm-generic/unistd.h
 * (fcntl is its `__NR3264_fcntl`; Linux 6.11 and later generate the same
 * numbers from scripts/syscall.tbl).
 */
const AARCH64_SYSCALLS: SyscallNumbers = {
  read: 63n,
  write: 64n,
  pread64: 67n,
  openat: 56n,
  close: 57n,
  fcntl: 25n,
  pipe2: 59n,
  ioctl: 29n,
  ppoll: 73n,
  socket: 198n,
  chdir: 49n,
  fchdir: 50n,
  chroot: 51n,
  statx: 291n,
  mount: 40n,
  umount2: 39n,
  pivot_root: 41n,
  unshare: 97n,
  setns: 268n,
  sethostname: 161n,
  sched_setaffinity: 122n,
  sched_getaffinity: 123n,
  execve: 221n,
  wait4: 260n,
  kill: 129n,
  rt_sigaction: 134n,
  rt_sigprocmask: 135n,
  signalfd4: 74n,
  prctl: 167n,
  capget: 90n,
  capset: 91n,
  setgroups: 159n,
  setresgid: 149n,
  setresuid: 147n,
  setsid: 157n,
  pidfd_open: 434n,
  openat2: 437n,
  mkdirat: 34n,
  symlinkat: 36n,
  readlinkat: 78n,
  open_tree: 428n,
  move_mount: 429n,
  mount_setattr: 442n,

  // The process events connector (propagation watch).
  bind: 200n,
  setsockopt: 208n,

  madvise: 233n,
};

/** What mntns passes to the kernel that differs between architectures. */
export interface Architecture {
  /** The system call numbers. */
  readonly syscalls: SyscallNumbers;
  /**
   * `open(2)`'s O_DIRECTORY (`<asm/fcntl.h>`): arm64 swaps it with O_DIRECT,
   * so x86_64's value asks an aarch64 kernel for O_DIRECT (EINVAL on a
   * directory).
   */
  readonly oDirectory: number;
  /** `open(2)`'s O_NOFOLLOW: arm64 swaps it with O_LARGEFILE. */
  readonly oNofollow: number;
}

const BY_ARCH: Readonly<Record<string, Architecture>> = {
  x86_64: {
    syscalls: X86_64_SYSCALLS,
    oDirectory: 0o200000,
    oNofollow: 0o400000,
  },
  aarch64: {
    syscalls: AARCH64_SYSCALLS,
    oDirectory: 0o40000,
    oNofollow: 0o100000,
  },
};

/**
 * The system call numbers and flags of an architecture; anything but x86_64
 * and aarch64 is refused in one line (never another architecture's
 * numbers).
 *
 * @example
 * ```ts
 * architectureFor("aarch64").syscalls.pivot_root; // 41n
 * architectureFor("aarch64").oDirectory; // 0o40000
 * ```
 */
export function architectureFor(arch: string): Architecture {
  const known = BY_ARCH[arch];
  if (known === undefined) {
    throw new Error(
      `mntns knows the system call numbers and flags of x86_64 and aarch64, not ${arch} — it cannot run on this machine`,
    );
  }
  return known;
}

/**
 * The system call numbers and flags of the architecture this runs on.
 *
 * @example
 * ```ts
 * import { cString } from "./cstring.ts";
 * import { systemCall } from "./libc.ts";
 * systemCall("openat", AT_FDCWD, cString("/"), architecture().oDirectory | O_CLOEXEC, 0);
 * ```
 */
export function architecture(): Architecture {
  return architectureFor(Deno.build.arch);
}

/** `open(2)` flags that are the same on x86_64 and aarch64 (`<asm-generic/fcntl.h>`). */
export const O = {
  WRONLY: 0o1,
  CREAT: 0o100,
  EXCL: 0o200,
  PATH: 0o10000000,
} as const;

/**
 * `statx(2)` (`<linux/stat.h>`): the masks asked for, the size of `struct
 * statx` and where its fields sit, and the file types of `stx_mode`.
 */
export const STATX = {
  TYPE: 0x1,
  MNT_ID: 0x1000,
  SIZE: 256,
  MODE_OFFSET: 28,
  MNT_ID_OFFSET: 144,
  S_IFMT: 0o170000,
  S_IFDIR: 0o040000,
  S_IFREG: 0o100000,
} as const;

/** `openat2(2)`'s `resolve` flags (`<linux/openat2.h>`). */
export const RESOLVE = {
  NO_MAGICLINKS: 0x02,
  IN_ROOT: 0x10,
} as const;

/** `*at` call flags (`<linux/fcntl.h>`, `<linux/mount.h>`). */
export const AT = {
  EMPTY_PATH: 0x1000,
  RECURSIVE: 0x8000,
  OPEN_TREE_CLONE: 0x1,
  MOVE_MOUNT_F_EMPTY_PATH: 0x4,
  MOVE_MOUNT_T_EMPTY_PATH: 0x40,
} as const;

/** `mount_setattr(2)`'s attributes (`<linux/mount.h>`). */
export const MOUNT_ATTR = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
} as const;
