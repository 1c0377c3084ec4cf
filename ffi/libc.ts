/**
 * The libc binding: one symbol table, opened once, each symbol bound on
 * first use.
 *
 * Binding a function costs far more than calling it, more still with the
 * fast-call trampoline Deno would compile for it (see
 * {@linkcode WORD_RESULT}). So every system call mntns makes
 * goes through one binding of glibc's `syscall(3)`, all of whose arguments
 * are 64-bit integers (pointers passed as addresses: see ffi/memory.ts and
 * {@linkcode systemCall}), and a process binds at most that, errno's
 * address, and the few glibc functions that are not system calls
 * (`posix_spawn`, `realpath`, the `environ` static), on first use.
 *
 * @module
 */

import type { CStringArray } from "./cstring.ts";
import { architecture, type SyscallNumbers } from "./constants.ts";
import { addressOf } from "./memory.ts";

/**
 * A result of one 64-bit word (a long, a pointer), declared as a struct of
 * one: x86_64 returns such a struct in RAX and aarch64 in x0, as they do the
 * word, but Deno then compiles no fast-call trampoline for the symbol. That
 * compile (Cranelift's, the first of a process the dearest) is most of what
 * binding a symbol costs, and a short-lived mntns never calls a symbol often
 * enough for V8 to take the fast path. The result comes as 8 bytes: see
 * {@linkcode wordOf}.
 */
const WORD_RESULT = { struct: ["i64"] } as const;
/** An `int` result, so declared for the same reason (4 bytes of the register). */
const INT_RESULT = { struct: ["i32"] } as const;

/** The symbols mntns binds from glibc. */
export const LIBC_SYMBOLS = {
  /**
   * long syscall(long number, ...); — bound with six integer arguments,
   * which is how the x86_64 and aarch64 calling conventions pass a variadic
   * call's integers: every system call mntns makes (see
   * {@linkcode systemCall}; each one's prototype is in ffi/constants.ts
   * `SyscallNumbers`)
   */
  syscall: {
    parameters: ["i64", "i64", "i64", "i64", "i64", "i64", "i64"],
    result: WORD_RESULT,
  },
  /** char *realpath(const char *restrict path, char *restrict resolved_path); */
  realpath: { parameters: ["buffer", "buffer"], result: WORD_RESULT },
  /** int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *file_actions, const posix_spawnattr_t *attrp, char *const argv[], char *const envp[]); */
  posix_spawn: {
    parameters: ["buffer", "buffer", "pointer", "buffer", "buffer", "pointer"],
    result: INT_RESULT,
  },
  /** int *__errno_location(void); — the calling thread's errno */
  __errno_location: { parameters: [], result: WORD_RESULT },
  /** extern char **environ; — the process's own environment, untouched */
  environ: { type: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

/**
 * The word of a {@linkcode WORD_RESULT}: a long, or a pointer's address
 * (0n for NULL).
 *
 * @example
 * ```ts
 * import { cString } from "./cstring.ts";
 *
 * wordOf(libc().realpath(cString("/no/such"), new Uint8Array(4096))); // 0n
 * ```
 */
export function wordOf(result: Uint8Array): bigint {
  return new DataView(result.buffer, result.byteOffset, 8).getBigInt64(0, true);
}

/**
 * The `int` of an {@linkcode INT_RESULT}.
 *
 * @example
 * ```ts
 * declare const spawned: Uint8Array; // what posix_spawn returned
 * intOf(spawned); // 0: started
 * ```
 */
export function intOf(result: Uint8Array): number {
  return new DataView(result.buffer, result.byteOffset, 4).getInt32(0, true);
}

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
 * glibc's symbols, each bound on first use (a symbol's property becomes a
 * plain value once bound). Opening also takes errno's address, before any
 * call can fail: see {@linkcode lastErrno}.
 *
 * @example
 * ```ts
 * import { cString } from "./cstring.ts";
 *
 * const resolved = new Uint8Array(4096);
 * libc().realpath(cString("/proc/self"), resolved);
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
  const location = Deno.UnsafePointer.create(
    wordOf(opened.__errno_location()),
  );
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
 * if (systemCall("chdir", cString(path)) !== 0) {
 *   throw new SyscallError({ call: "chdir", errno: lastErrno(), paths: [path] });
 * }
 * ```
 */
export function lastErrno(): number {
  return errnoCell?.[0] ?? 0;
}

/**
 * An argument of {@linkcode systemCall}: an integer, NULL, or memory passed
 * by its address (a view on memory that never moves: see ffi/memory.ts; a
 * C string array passes its pointer array).
 */
export type SyscallArgument =
  | number
  | bigint
  | null
  | ArrayBufferView<ArrayBuffer>
  | CStringArray;

/** What {@linkcode systemCall} passes after the number: at most six. */
export type SyscallArguments = [
  SyscallArgument?,
  SyscallArgument?,
  SyscallArgument?,
  SyscallArgument?,
  SyscallArgument?,
  SyscallArgument?,
];

const NO_ARGUMENTS: Readonly<SyscallArguments> = [];
/**
 * The arguments of the call being made: the memory behind their addresses
 * stays reachable from here until the call has returned. Only written: a
 * store to a module's variable is one no compiler may drop, which a local
 * variable's last use is not.
 */
// deno-lint-ignore no-unused-vars
let held: Readonly<SyscallArguments> = NO_ARGUMENTS;
let numbers: SyscallNumbers | undefined;

function word(argument: SyscallArgument | undefined): bigint {
  if (argument === undefined || argument === null) return 0n;
  if (typeof argument === "bigint") return argument;
  if (typeof argument === "number") return BigInt(argument);
  if (ArrayBuffer.isView(argument)) return addressOf(argument);
  return addressOf(argument.pointers);
}

/**
 * Makes a system call through glibc's `syscall(3)`, by name (its number is
 * this architecture's), with at most six arguments, and returns what it
 * returned: -1 when it failed, with errno set (read it at once with
 * {@linkcode lastErrno}). Buffers are passed by address and held until the
 * call returns.
 *
 * @example
 * ```ts
 * import { fixedBytes } from "./memory.ts";
 *
 * const fds = new Int32Array(new ArrayBuffer(8));
 * if (systemCall("pipe2", fds, 0) === 0) systemCall("write", fds[1], fixedBytes(1), 1);
 * ```
 */
export function systemCall(
  name: keyof SyscallNumbers,
  ...args: SyscallArguments
): number {
  held = args;
  numbers ??= architecture().syscalls;
  const result = libc().syscall(
    numbers[name],
    word(args[0]),
    word(args[1]),
    word(args[2]),
    word(args[3]),
    word(args[4]),
    word(args[5]),
  );
  held = NO_ARGUMENTS;
  return Number(wordOf(result));
}
