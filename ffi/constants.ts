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
/** `madvise(2)`'s advice to back the range with transparent huge pages. */
export const MADV_HUGEPAGE = 14;

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
 * `syscall(3)`: see ffi/libc.ts), on each architecture: x86_64's from the
 * kernel's arch/x86/entry/syscalls/syscall_64.tbl (checked against
 * `<asm/unistd_64.h>` of linux-libc-dev), aarch64's from its generic table,
 * include/uapi/asm-generic/unistd.h (fcntl is its `__NR3264_fcntl`; Linux
 * 6.11 and later generate the same numbers from scripts/syscall.tbl).
 * aarch64 has only the newer calls of the generic table (no open, poll,
 * waitpid, pipe, signalfd): mntns makes those on both (openat, ppoll, wait4,
 * pipe2, signalfd4), so each wrapper has one code path. Each carries the
 * kernel's prototype: the arguments ffi/libc.ts `systemCall` passes,
 * pointers as addresses.
 */
const SYSCALLS = {
  /** ssize_t read(int fd, void *buf, size_t count); */
  read: { x86_64: 0n, aarch64: 63n },
  /** ssize_t write(int fd, const void *buf, size_t count); */
  write: { x86_64: 1n, aarch64: 64n },
  /** ssize_t pread64(int fd, void *buf, size_t count, loff_t offset); */
  pread64: { x86_64: 17n, aarch64: 67n },
  /** int openat(int dirfd, const char *path, int flags, umode_t mode); */
  openat: { x86_64: 257n, aarch64: 56n },
  /** int close(int fd); */
  close: { x86_64: 3n, aarch64: 57n },
  /** int fcntl(int fd, int cmd, unsigned long arg); */
  fcntl: { x86_64: 72n, aarch64: 25n },
  /** int pipe2(int fds[2], int flags); */
  pipe2: { x86_64: 293n, aarch64: 59n },
  /** int ioctl(int fd, unsigned int cmd, unsigned long arg); */
  ioctl: { x86_64: 16n, aarch64: 29n },
  /** int ppoll(struct pollfd *fds, unsigned int nfds, struct timespec *timeout, const sigset_t *mask, size_t sigsetsize); */
  ppoll: { x86_64: 271n, aarch64: 73n },
  /** int socket(int domain, int type, int protocol); */
  socket: { x86_64: 41n, aarch64: 198n },
  /** int chdir(const char *path); */
  chdir: { x86_64: 80n, aarch64: 49n },
  /** int fchdir(int fd); */
  fchdir: { x86_64: 81n, aarch64: 50n },
  /** int chroot(const char *path); */
  chroot: { x86_64: 161n, aarch64: 51n },
  /** int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf); */
  statx: { x86_64: 332n, aarch64: 291n },
  /** int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const void *data); */
  mount: { x86_64: 165n, aarch64: 40n },
  /** int umount2(const char *target, int flags); */
  umount2: { x86_64: 166n, aarch64: 39n },
  /** int pivot_root(const char *new_root, const char *put_old); */
  pivot_root: { x86_64: 155n, aarch64: 41n },
  /** int unshare(unsigned long flags); */
  unshare: { x86_64: 272n, aarch64: 97n },
  /** int setns(int fd, int nstype); */
  setns: { x86_64: 308n, aarch64: 268n },
  /** int sethostname(const char *name, int len); */
  sethostname: { x86_64: 170n, aarch64: 161n },
  /** int getpriority(int which, int who) — returns 20 - nice (1 to 40); */
  getpriority: { x86_64: 140n, aarch64: 141n },
  /** int setpriority(int which, int who, int nice); */
  setpriority: { x86_64: 141n, aarch64: 140n },
  /** int sched_setaffinity(pid_t pid, unsigned int len, const unsigned long *mask); */
  sched_setaffinity: { x86_64: 203n, aarch64: 122n },
  /** int sched_getaffinity(pid_t pid, unsigned int len, unsigned long *mask) — returns the bytes written; */
  sched_getaffinity: { x86_64: 204n, aarch64: 123n },
  /** int execve(const char *path, const char *const argv[], const char *const envp[]); */
  execve: { x86_64: 59n, aarch64: 221n },
  /** pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage); */
  wait4: { x86_64: 61n, aarch64: 260n },
  /** int kill(pid_t pid, int sig); */
  kill: { x86_64: 62n, aarch64: 129n },
  /** int rt_sigaction(int sig, const struct sigaction *act, struct sigaction *old, size_t sigsetsize); */
  rt_sigaction: { x86_64: 13n, aarch64: 134n },
  /** int rt_sigprocmask(int how, const sigset_t *set, sigset_t *old, size_t sigsetsize); */
  rt_sigprocmask: { x86_64: 14n, aarch64: 135n },
  /** int signalfd4(int fd, const sigset_t *mask, size_t sizemask, int flags); */
  signalfd4: { x86_64: 289n, aarch64: 74n },
  /** int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5); */
  prctl: { x86_64: 157n, aarch64: 167n },
  /** int capget(cap_user_header_t header, cap_user_data_t data); */
  capget: { x86_64: 125n, aarch64: 90n },
  /** int capset(cap_user_header_t header, const cap_user_data_t data); */
  capset: { x86_64: 126n, aarch64: 91n },
  /** int setgroups(int size, const gid_t *list); */
  setgroups: { x86_64: 116n, aarch64: 159n },
  /** int setresgid(gid_t rgid, gid_t egid, gid_t sgid); */
  setresgid: { x86_64: 119n, aarch64: 149n },
  /** int setresuid(uid_t ruid, uid_t euid, uid_t suid); */
  setresuid: { x86_64: 117n, aarch64: 147n },
  /** pid_t setsid(void); */
  setsid: { x86_64: 112n, aarch64: 157n },
  /** int pidfd_open(pid_t pid, unsigned int flags); */
  pidfd_open: { x86_64: 434n, aarch64: 434n },
  /** int openat2(int dirfd, const char *path, struct open_how *how, size_t size); */
  openat2: { x86_64: 437n, aarch64: 437n },
  /** int mkdirat(int dirfd, const char *path, umode_t mode); */
  mkdirat: { x86_64: 258n, aarch64: 34n },
  /** int symlinkat(const char *target, int newdirfd, const char *linkpath); */
  symlinkat: { x86_64: 266n, aarch64: 36n },
  /** ssize_t readlinkat(int dirfd, const char *path, char *buf, int size); */
  readlinkat: { x86_64: 267n, aarch64: 78n },
  /** int open_tree(int dirfd, const char *path, unsigned int flags); */
  open_tree: { x86_64: 428n, aarch64: 428n },
  /** int move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path, unsigned int flags); */
  move_mount: { x86_64: 429n, aarch64: 429n },
  /** int mount_setattr(int dirfd, const char *path, unsigned int flags, struct mount_attr *attr, size_t size); */
  mount_setattr: { x86_64: 442n, aarch64: 442n },

  // The process events connector (propagation watch).
  /** int bind(int fd, const struct sockaddr *addr, socklen_t len); */
  bind: { x86_64: 49n, aarch64: 200n },
  /** int setsockopt(int fd, int level, int name, const void *value, socklen_t len); */
  setsockopt: { x86_64: 54n, aarch64: 208n },

  /** int madvise(void *addr, size_t length, int advice); */
  madvise: { x86_64: 28n, aarch64: 233n },
} as const;

/** The system call numbers of one architecture, by name. */
export type SyscallNumbers = {
  readonly [name in keyof typeof SYSCALLS]: bigint;
};

/** One column of {@linkcode SYSCALLS}. */
function syscallsOf(arch: "x86_64" | "aarch64"): SyscallNumbers {
  const entries = Object.entries(SYSCALLS).map((
    [name, numbers],
  ) => [name, numbers[arch]]);
  return Object.fromEntries(entries) as SyscallNumbers;
}

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
    syscalls: syscallsOf("x86_64"),
    oDirectory: 0o200000,
    oNofollow: 0o400000,
  },
  aarch64: {
    syscalls: syscallsOf("aarch64"),
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
