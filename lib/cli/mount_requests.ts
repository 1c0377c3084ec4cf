/**
 * `mntns run`'s mount, directory and link options, in the order given:
 * `--bind`, `--ro-bind`, `--dev-bind`, `--tmpfs` (with the `--tmpfs-mode`
 * and `--tmpfs-size` before it), `--dir` and `--symlink`.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { MountRequest } from "../plan/run_plan.ts";
import type { OptionToken } from "./args.ts";

/**
 * Splits SRC:DST at the first colon no backslash escapes; in both halves
 * `\:` stands for a colon and `\\` for a backslash (any other backslash
 * stays as it is): `a\:b:/mnt` is `a:b` and `/mnt`.
 *
 * @example
 * ```ts
 * splitPair({ option: "bind", value: "a\\:b:/mnt", command: "mntns run" }); // ["a:b", "/mnt"]
 * ```
 */
export function splitPair(
  where: { option: string; value: string; command: string },
): [string, string] {
  const { value } = where;
  const halves: string[] = [""];
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    const next = value[index + 1];
    if (char === "\\" && (next === ":" || next === "\\")) {
      halves[halves.length - 1] += next;
      index++;
    } else if (char === ":" && halves.length === 1) {
      halves.push("");
    } else {
      halves[halves.length - 1] += char;
    }
  }
  const [source, target] = halves;
  if (target === undefined || source === "" || target === "") {
    throw new UsageError(
      `--${where.option} takes ${
        where.option === "symlink" ? "TARGET:DST" : "SRC:DST"
      }, not '${value}' (write a colon in a path as \\:)`,
      where.command,
    );
  }
  return [source, target];
}

/** A tmpfs mode: one to four octal digits. */
function parseMode(text: string, command: string): number {
  if (!/^[0-7]{1,4}$/.test(text)) {
    throw new UsageError(
      `--tmpfs-mode takes an octal mode such as 1777 or 700, not '${text}'`,
      command,
    );
  }
  return parseInt(text, 8);
}

/** A tmpfs size as tmpfs takes it: bytes, or with k, m, g or %. */
function parseSize(text: string, command: string): string {
  if (!/^[1-9][0-9]*[kmg%]?$/i.test(text)) {
    throw new UsageError(
      `--tmpfs-size takes a size such as 64m, 1g, 1048576 or 50%, not '${text}'`,
      command,
    );
  }
  return text;
}

/**
 * The requests of the options, in order. `--tmpfs-mode` and `--tmpfs-size`
 * apply to the next `--tmpfs` (as bubblewrap's `--perms` and `--size`);
 * `--dir` and `--symlink` need a new root (they would change the host's
 * files).
 *
 * @example
 * ```ts
 * mountRequests({
 *   tokens: [{ name: "tmpfs-size", value: "1m" }, { name: "tmpfs", value: "/tmp" }],
 *   rootfs: null,
 *   command: "mntns run",
 * }); // [{ kind: "tmpfs", target: "/tmp", size: "1m" }]
 * ```
 */
export function mountRequests(
  options: {
    tokens: readonly OptionToken[];
    rootfs: string | null;
    command: string;
  },
): MountRequest[] {
  const { command } = options;
  const requests: MountRequest[] = [];
  let mode: { value: number; given: string } | null = null;
  let size: string | null = null;
  for (const { name, value } of options.tokens) {
    if (value === undefined) continue;
    if ((name === "dir" || name === "symlink") && options.rootfs === null) {
      throw new UsageError(
        `--${name} needs --rootfs: it makes its ${
          name === "dir" ? "directory" : "link"
        } inside the new root`,
        command,
      );
    }
    switch (name) {
      case "bind":
      case "ro-bind":
      case "dev-bind": {
        const [source, target] = splitPair({ option: name, value, command });
        requests.push({ kind: name, source, target });
        break;
      }
      case "symlink": {
        const [source, target] = splitPair({ option: name, value, command });
        requests.push({ kind: "symlink", source, target });
        break;
      }
      case "dir":
        requests.push({ kind: "dir", target: value });
        break;
      case "tmpfs-mode":
        mode = { value: parseMode(value, command), given: value };
        break;
      case "tmpfs-size":
        size = parseSize(value, command);
        break;
      case "tmpfs":
        requests.push({
          kind: "tmpfs",
          target: value,
          ...(mode === null ? {} : { mode: mode.value }),
          ...(size === null ? {} : { size }),
        });
        mode = null;
        size = null;
        break;
    }
  }
  if (mode !== null || size !== null) {
    throw new UsageError(
      `--tmpfs-${
        mode !== null ? `mode ${mode.given}` : `size ${size}`
      } applies to the next --tmpfs, and none follows it`,
      command,
    );
  }
  return requests;
}
