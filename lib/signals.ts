/**
 * Linux signal numbers by name, for exit statuses (128 + N) and forwarding.
 *
 * @module
 */

const NUMBERS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPOLL: 29,
  SIGPWR: 30,
  SIGSYS: 31,
};

/** Every signal whose disposition can change: 1..64 but SIGKILL and SIGSTOP. */
export const CHANGEABLE_SIGNALS: readonly number[] = Array.from(
  { length: 64 },
  (_, i) => i + 1,
).filter((signal) => signal !== 9 && signal !== 19);

/**
 * A signal mask of `/proc/PID/status` (`SigIgn`: ignored, `SigCgt`: caught),
 * or null when it cannot be read (the process is gone, or no /proc).
 *
 * @example
 * ```ts
 * signalMask("self", "SigIgn"); // 0x1000n: SIGPIPE ignored
 * ```
 */
export function signalMask(
  pid: number | "self",
  field: "SigIgn" | "SigCgt",
): bigint | null {
  let status: string;
  try {
    status = Deno.readTextFileSync(`/proc/${pid}/status`);
  } catch {
    return null;
  }
  const hex = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, "m").exec(status)?.[1];
  return hex === undefined ? null : BigInt(`0x${hex}`);
}

/**
 * Whether signal N is in a mask.
 *
 * @example
 * ```ts
 * inMask(0x1000n, 13); // true
 * ```
 */
export function inMask(mask: bigint, signal: number): boolean {
  return ((mask >> BigInt(signal - 1)) & 1n) === 1n;
}

/** The signals mntns passes on to the command it runs. */
export const FORWARDED_SIGNALS: readonly Deno.Signal[] = [
  "SIGHUP",
  "SIGINT",
  "SIGQUIT",
  "SIGUSR1",
  "SIGUSR2",
  "SIGALRM",
  "SIGTERM",
  "SIGWINCH",
];

/**
 * The number of a signal name.
 *
 * @example
 * ```ts
 * signalNumber("SIGTERM"); // 15
 * ```
 */
export function signalNumber(name: string): number {
  const number = NUMBERS[name];
  if (number === undefined) throw new Error(`unknown signal ${name}`);
  return number;
}

/**
 * The shell's exit status for a finished child: its code, or 128 + N when
 * signal N ended it.
 *
 * @example
 * ```ts
 * exitStatus({ code: 0, signal: "SIGTERM" }); // 143
 * ```
 */
export function exitStatus(
  status: { code: number; signal: Deno.Signal | null },
): number {
  return status.signal === null
    ? status.code
    : 128 + signalNumber(status.signal);
}

/**
 * Calls `deliver` for each of the {@linkcode FORWARDED_SIGNALS} this process
 * gets, instead of their default action. Returns the function that stops it.
 *
 * @example
 * ```ts
 * const stop = forwardSignals((signal) => child.kill(signal));
 * await child.status;
 * stop();
 * ```
 */
export function forwardSignals(
  deliver: (signal: Deno.Signal) => void,
): () => void {
  const listeners = FORWARDED_SIGNALS.map((signal) => {
    const listener = (): void => deliver(signal);
    Deno.addSignalListener(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) {
      Deno.removeSignalListener(signal, listener);
    }
  };
}

/**
 * Sends a signal to a child, quietly doing nothing when it has exited
 * already (its status is on its way).
 *
 * @example
 * ```ts
 * forwardSignals((signal) => signalChild(child, signal));
 * ```
 */
export function signalChild(
  child: { kill(signal: Deno.Signal): void },
  signal: Deno.Signal,
): void {
  try {
    child.kill(signal);
  } catch (error) {
    if (
      !(error instanceof TypeError || error instanceof Deno.errors.NotFound)
    ) {
      throw error;
    }
  }
}
