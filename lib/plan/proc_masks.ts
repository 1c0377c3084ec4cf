/**
 * What is hidden or made read-only in the fresh /proc under `--rootfs`, as
 * runc's default spec does it (`maskedPaths`, `readonlyPaths`): the files
 * get an empty, read-only copy of /dev/null bound over them, the
 * directories an empty read-only tmpfs, and the read-only ones a read-only
 * bind of themselves. What this kernel lacks is skipped. The executor is
 * lib/exec/proc_masks.ts; `--unmasked-proc` leaves /proc whole.
 *
 * @module
 */

/** Names in /proc that are masked: what they tell of the host is hidden. */
export const PROC_MASKED: readonly string[] = [
  "acpi",
  "kcore",
  "keys",
  "latency_stats",
  "timer_list",
  "timer_stats",
  "sched_debug",
  "scsi",
];

/** Names in /proc made read-only: writing them would change the host. */
export const PROC_READ_ONLY: readonly string[] = [
  "bus",
  "fs",
  "irq",
  "sys",
  "sysrq-trigger",
];

/**
 * The masks in one line, for `--dry-run`.
 *
 * @example
 * ```ts
 * describeProcMasks(); // "/proc/acpi, /proc/kcore, ... empty; /proc/bus, ... read-only"
 * ```
 */
export function describeProcMasks(): string {
  const paths = (names: readonly string[]): string =>
    names.map((name) => `/proc/${name}`).join(", ");
  return `${paths(PROC_MASKED)} empty; ${
    paths(PROC_READ_ONLY)
  } read-only (runc's masks; what is missing is skipped)`;
}
