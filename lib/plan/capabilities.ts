/**
 * Linux capabilities by name, and `--cap-drop`/`--cap-add` applied in
 * order to a starting set, as bubblewrap applies them: which capabilities
 * a command keeps.
 *
 * @module
 */

import { CommandError, UsageError } from "../errors.ts";

/** Every capability `<linux/capability.h>` names, by number (0 to 40). */
export const CAPABILITY_NAMES: readonly string[] = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
];

/** One `--cap-drop` or `--cap-add`: every capability, or these numbers. */
export interface CapabilityChange {
  /** Whether the capabilities are dropped or added. */
  change: "drop" | "add";
  /** `all`, or the capability numbers. */
  capabilities: "all" | readonly number[];
}

/**
 * Parses `--cap-drop`/`--cap-add`'s value: a comma-separated list of names,
 * with or without `CAP_`, in any case; `ALL` anywhere in it means every
 * capability (`ALL,CAP_CHOWN` is `ALL`).
 *
 * @example
 * ```ts
 * parseCapabilityChange("drop", "net_raw,CAP_SYS_ADMIN", "mntns run");
 * // { change: "drop", capabilities: [13, 21] }
 * ```
 */
export function parseCapabilityChange(
  change: "drop" | "add",
  value: string,
  command: string,
): CapabilityChange {
  const words = value.split(",");
  if (words.some((word) => word.toUpperCase() === "ALL")) {
    return { change, capabilities: "all" };
  }
  const capabilities = words.map((word) => {
    const upper = word.toUpperCase();
    const number = CAPABILITY_NAMES.indexOf(
      upper.startsWith("CAP_") ? upper : `CAP_${upper}`,
    );
    if (number < 0) {
      throw new UsageError(
        `--cap-${change}: unknown capability '${word}' (ALL, or names such as CAP_NET_BIND_SERVICE, comma-separated)`,
        command,
      );
    }
    return number;
  });
  return { change, capabilities };
}

/**
 * The capability name of a number (`CAP_40`-style when unnamed).
 *
 * @example
 * ```ts
 * capabilityName(10); // "CAP_NET_BIND_SERVICE"
 * ```
 */
export function capabilityName(number: number): string {
  return CAPABILITY_NAMES[number] ?? `CAP_${number}`;
}

/**
 * The capabilities kept: `start`, with each change applied in order (`ALL`
 * means every capability in `available`, the ones this process holds). An
 * added capability that is not available is refused: no process can give
 * what it does not have.
 *
 * @example
 * ```ts
 * keptCapabilities({
 *   start: [0, 10, 21],
 *   available: [0, 10, 21],
 *   changes: [{ change: "drop", capabilities: "all" }, { change: "add", capabilities: [10] }],
 * }); // [10]
 * ```
 */
export function keptCapabilities(
  options: {
    start: readonly number[];
    available: readonly number[];
    changes: readonly CapabilityChange[];
  },
): number[] {
  const kept = new Set(options.start);
  for (const { change, capabilities } of options.changes) {
    const chosen = capabilities === "all" ? options.available : capabilities;
    for (const capability of chosen) {
      if (change === "drop") {
        kept.delete(capability);
        continue;
      }
      if (!options.available.includes(capability)) {
        throw new CommandError(
          `--cap-add ${
            capabilityName(capability)
          }: mntns does not hold it (it is not in its permitted set), so it cannot give it — leave it out`,
        );
      }
      kept.add(capability);
    }
  }
  return [...kept].sort((a, b) => a - b);
}
