/**
 * The libc binding: one symbol table, opened once, on first use.
 *
 * Every symbol carries its C signature. Pointers to strings are passed as
 * `buffer` (a NUL-terminated `Uint8Array`, or `null` for NULL); the variadic
 * `syscall` is bound with six integer arguments, which is how the x86_64 and
 * aarch64 calling conventions pass them.
 *
 * @module
 */

/** The symbols mntns binds from glibc. */
export const LIBC_SYMBOLS = {
  /** int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const void *data); */
  mount: {
    parameters: ["buffer", "buffer", "buffer", "usize", "buffer"],
    result: "i32",
  },
  /** int umount2(const char *target, int flags); */
  umount2: { parameters: ["buffer", "i32"], result: "i32" },
  /** int unshare(int flags); */
  unshare: { parameters: ["i32"], result: "i32" },
  /** int setns(int fd, int nstype); */
  setns: { parameters: ["i32", "i32"], result: "i32" },
  /** int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask); */
  sched_getaffinity: { parameters: ["i32", "usize", "buffer"], result: "i32" },
  /** int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask); */
  sched_setaffinity: { parameters: ["i32", "usize", "buffer"], result: "i32" },
  /** int sethostname(const char *name, size_t len); */
  sethostname: { parameters: ["buffer", "usize"], result: "i32" },
  /** int execve(const char *path, char *const argv[], char *const envp[]); */
  execve: { parameters: ["buffer", "buffer", "pointer"], result: "i32" },
  /** int chdir(const char *path); */
  chdir: { parameters: ["buffer"], result: "i32" },
  /** int chroot(const char *path); */
  chroot: { parameters: ["buffer"], result: "i32" },
  /** char *realpath(const char *restrict path, char *restrict resolved_path); */
  realpath: { parameters: ["buffer", "buffer"], result: "pointer" },
  /** int statx(int dirfd, const char *restrict pathname, int flags, unsigned int mask, struct statx *restrict statxbuf); */
  statx: {
    parameters: ["i32", "buffer", "i32", "u32", "buffer"],
    result: "i32",
  },
  /** long syscall(long number, ...); — bound with six integer arguments: pidfd_open */
  syscall: {
    parameters: ["i64", "i64", "i64", "i64", "i64", "i64", "i64"],
    result: "i64",
  },
  /** long syscall(long number, void *a, void *b); — pivot_root(new_root, put_old), with buffers held by the call */
  syscall_buffers: {
    name: "syscall",
    parameters: ["i64", "buffer", "buffer"],
    result: "i64",
  },
  /** long syscall(long number, long a, void *b, void *c, long d); — rt_sigaction and rt_sigprocmask */
  syscall_signals: {
    name: "syscall",
    parameters: ["i64", "i64", "buffer", "buffer", "i64"],
    result: "i64",
  },
  /** int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5); */
  prctl: {
    parameters: ["i32", "u64", "u64", "u64", "u64"],
    result: "i32",
  },
  /** int open(const char *path, int flags, ...); — bound with its mode argument */
  open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
  /** int pipe2(int pipefd[2], int flags); */
  pipe2: { parameters: ["buffer", "i32"], result: "i32" },
  /** ssize_t read(int fd, void *buf, size_t count); */
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  /** ssize_t pread(int fd, void *buf, size_t count, off_t offset); */
  pread: { parameters: ["i32", "buffer", "usize", "i64"], result: "isize" },
  /** ssize_t write(int fd, const void *buf, size_t count); */
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  /** int close(int fd); */
  close: { parameters: ["i32"], result: "i32" },
  /** int fchdir(int fd); */
  fchdir: { parameters: ["i32"], result: "i32" },
  /** int fcntl(int fd, int cmd, ...); — bound with one integer argument */
  fcntl: { parameters: ["i32", "i32", "i64"], result: "i32" },
  /** int poll(struct pollfd *fds, nfds_t nfds, int timeout); */
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32" },
  /** pid_t waitpid(pid_t pid, int *status, int options); */
  waitpid: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  /** int socket(int domain, int type, int protocol); */
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  /** int ioctl(int fd, unsigned long request, ...); — bound with a pointer argument */
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
  /** int kill(pid_t pid, int sig); */
  kill: { parameters: ["i32", "i32"], result: "i32" },
  /** int signalfd(int fd, const sigset_t *mask, int flags); */
  signalfd: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  /** int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *file_actions, const posix_spawnattr_t *attrp, char *const argv[], char *const envp[]); */
  posix_spawn: {
    parameters: ["buffer", "buffer", "pointer", "buffer", "buffer", "pointer"],
    result: "i32",
  },
  /** int posix_spawnattr_init(posix_spawnattr_t *attr); */
  posix_spawnattr_init: { parameters: ["buffer"], result: "i32" },
  /** int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags); */
  posix_spawnattr_setflags: { parameters: ["buffer", "i16"], result: "i32" },
  /** int posix_spawnattr_setsigmask(posix_spawnattr_t *attr, const sigset_t *sigmask); */
  posix_spawnattr_setsigmask: {
    parameters: ["buffer", "buffer"],
    result: "i32",
  },
  /** int setgroups(size_t size, const gid_t *list); */
  setgroups: { parameters: ["usize", "buffer"], result: "i32" },
  /** int setresgid(gid_t rgid, gid_t egid, gid_t sgid); */
  setresgid: { parameters: ["u32", "u32", "u32"], result: "i32" },
  /** int setresuid(uid_t ruid, uid_t euid, uid_t suid); */
  setresuid: { parameters: ["u32", "u32", "u32"], result: "i32" },
  /** int capget(cap_user_header_t hdrp, cap_user_data_t datap); */
  capget: { parameters: ["buffer", "buffer"], result: "i32" },
  /** int capset(cap_user_header_t hdrp, const cap_user_data_t datap); */
  capset: { parameters: ["buffer", "buffer"], result: "i32" },
  /** pid_t setsid(void); */
  setsid: { parameters: [], result: "i32" },
  /** int *__errno_location(void); — the calling thread's errno */
  __errno_location: { parameters: [], result: "pointer" },
  /** extern char **environ; — the process's own environment, untouched */
  environ: { type: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The opened library's symbols. */
export type LibcSymbols = Deno.DynamicLibrary<typeof LIBC_SYMBOLS>["symbols"];

/** Where glibc is looked for, in order. */
export const LIBC_CANDIDATES: readonly string[] = [
  "libc.so.6",
  "/lib/x86_64-linux-gnu/libc.so.6",
  "/usr/lib/x86_64-linux-gnu/libc.so.6",
  "/lib/aarch64-linux-gnu/libc.so.6",
  "/usr/lib/aarch64-linux-gnu/libc.so.6",
  "/lib64/libc.so.6",
  "/usr/lib64/libc.so.6",
];

let opened: LibcSymbols | undefined;
let libraryPath: string | undefined;
/** The main thread's errno, as memory: see {@linkcode lastErrno}. */
let errnoCell: Int32Array | undefined;

/** Binds one symbol, finding glibc on the first call. */
function bind<K extends keyof LibcSymbols>(name: K): LibcSymbols[K] {
  const wanted = { [name]: LIBC_SYMBOLS[name] } as Pick<
    typeof LIBC_SYMBOLS,
    K
  >;
  if (libraryPath !== undefined) {
    return Deno.dlopen(libraryPath, wanted).symbols[name] as LibcSymbols[K];
  }
  const failures: string[] = [];
  for (const candidate of LIBC_CANDIDATES) {
    try {
      const symbol = Deno.dlopen(candidate, wanted).symbols[name];
      libraryPath = candidate;
      return symbol as LibcSymbols[K];
    } catch (error) {
      failures.push(`${candidate} (${(error as Error).message})`);
    }
  }
  throw new Error(
    `cannot open glibc; tried ${
      failures.join(", ")
    } — mntns needs a glibc-based Linux system`,
  );
}

/**
 * glibc's symbols, each bound on first use: binding costs about a quarter of
 * a millisecond a symbol (all of them: 6.6 ms at every start), and a
 * subcommand uses a few. Opening also takes errno's address, before any
 * call can fail: see {@linkcode lastErrno}.
 *
 * @example
 * ```ts
 * import { cString } from "./cstring.ts";
 *
 * const fd = libc().open(cString("/"), 0, 0);
 * ```
 */
export function libc(): LibcSymbols {
  if (opened) return opened;
  const symbols: Record<string, unknown> = {};
  for (const name of Object.keys(LIBC_SYMBOLS) as (keyof LibcSymbols)[]) {
    Object.defineProperty(symbols, name, {
      configurable: true,
      enumerable: true,
      get(): unknown {
        const bound = bind(name);
        Object.defineProperty(symbols, name, { value: bound });
        return bound;
      },
    });
  }
  opened = symbols as LibcSymbols;
  const location = opened.__errno_location();
  if (location !== null) {
    errnoCell = new Int32Array(
      Deno.UnsafePointerView.getArrayBuffer(location, 4),
    );
  }
  return opened;
}

/**
 * The calling thread's errno, read straight from its memory. Its address is
 * taken before the first libc call, so nothing runs between a failing call
 * and this read that could change errno (binding a symbol, or any call into
 * Deno, may). Call it right after the failing call, never across an `await`:
 * the address is the main thread's, where mntns makes every call.
 *
 * @example
 * ```ts
 * import { cString } from "./cstring.ts";
 * import { SyscallError } from "./errno.ts";
 *
 * const path = "/srv";
 * if (libc().chdir(cString(path)) !== 0) {
 *   throw new SyscallError({ call: "chdir", errno: lastErrno(), paths: [path] });
 * }
 * ```
 */
export function lastErrno(): number {
  return errnoCell?.[0] ?? 0;
}
