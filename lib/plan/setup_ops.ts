/**
 * Setting up a namespace as one typed list of operations, made in order by
 * one executor (lib/exec/setup.ts), as bubblewrap's `SetupOp` list: plans
 * build the list, `--dry-run` prints it, and nothing here touches the
 * system.
 *
 * @module
 */

import { displayText } from "../bytes.ts";
import type { ExecTarget } from "./exec_target.ts";
import type { UnshareName } from "../system/process_namespaces.ts";
import { describeMinimalDev } from "./minimal_dev.ts";
import { describeProcMasks } from "./proc_masks.ts";
import type { RootPropagation } from "./root_propagation.ts";
import { singleQuoted } from "./shell_quote.ts";

/** The namespaces a stage unshares itself (PID is unshared by its parent). */
export type NamespaceName = Exclude<UnshareName, "pid">;

/** One step of setting up, in the order it is made. */
export type SetupOp =
  /** unshare(2) of these namespaces. */
  | { op: "unshare"; namespaces: readonly UnshareName[] }
  /**
   * The new mount namespace kept alive after its processes end: bound at
   * `file`, in the namespace it was made from (`unshare --mount=FILE`).
   */
  | { op: "keep-namespace"; file: string }
  /** `lo` up in the new network namespace. */
  | { op: "loopback" }
  /** sethostname(2). */
  | { op: "hostname"; name: string }
  /** The propagation of `/`, recursively (`unchanged` makes no op). */
  | { op: "root-propagation"; mode: Exclude<RootPropagation, "unchanged"> }
  /**
   * DIR bound onto itself recursively, nosuid and nodev, its parent mount
   * made private first if shared (pivot_root refuses a shared parent): the
   * new root's mount.
   */
  | { op: "rootfs"; dir: string }
  /**
   * A recursive bind of `source` at `target` (inside `root` when given,
   * where `..` and symlinks resolve inside it), every mount of it nosuid
   * and nodev (and read-only with `readOnly`), its other flags kept.
   */
  | {
    op: "bind";
    source: string;
    target: string;
    root: string | null;
    readOnly: boolean;
  }
  /**
   * A recursive bind of a device node (or a directory of them), its mounts
   * remounted nosuid with their flags kept: devices stay usable.
   */
  | { op: "dev-bind"; source: string; target: string; root: string | null }
  /**
   * A minimal /dev inside the new root, as runc and bubblewrap make it:
   * see lib/plan/minimal_dev.ts.
   */
  | { op: "dev"; root: string }
  /**
   * A fresh tmpfs (nosuid, nodev) at `target` (inside `root`), of this mode
   * and, when given, this size (`1m`, tmpfs's own syntax).
   */
  | {
    op: "tmpfs";
    target: string;
    root: string | null;
    mode: number;
    size: string | null;
  }
  /** A directory made inside the new root, with its missing parents. */
  | { op: "dir"; target: string; root: string }
  /** A symbolic link at `path` inside the new root, whose text is `target`. */
  | { op: "symlink"; target: string; path: string; root: string }
  /** The mounts the `rootfs` bind brought made read-only, flags kept. */
  | { op: "read-only-root"; dir: string }
  /** pivot_root into DIR; the old root made private and detached. */
  | { op: "pivot-root"; dir: string }
  /** A fresh proc at /proc (nosuid, nodev, noexec), /proc made private first. */
  | { op: "proc" }
  /** /proc's masked and read-only paths, as runc's: see lib/plan/proc_masks.ts. */
  | { op: "mask-proc" }
  /** chroot(2). */
  | { op: "chroot"; dir: string }
  /** chdir(2). */
  | { op: "chdir"; dir: string };

const PAD = 12;

/**
 * One `--dry-run` line: the operation's name, padded, and its text escaped
 * for the terminal.
 *
 * @example
 * ```ts
 * operationLine("chdir", "/"); // "chdir        /"
 * ```
 */
export function operationLine(name: string, text: string): string {
  return `${name.padEnd(PAD)} ${displayText(text)}`;
}

/**
 * A mode as four octal digits.
 *
 * @example
 * ```ts
 * octalMode(0o1777); // "1777"
 * ```
 */
export function octalMode(mode: number): string {
  return mode.toString(8).padStart(4, "0");
}

function where(target: string, root: string | null): string {
  return root === null ? target : `${target} (inside ${root})`;
}

/**
 * One line for an operation, as `--dry-run` prints it; paths are escaped
 * for the terminal.
 *
 * @example
 * ```ts
 * describeSetupOp({ op: "tmpfs", target: "/tmp", root: null, mode: 0o1777, size: null });
 * // "tmpfs        /tmp (nosuid, nodev, mode 1777)"
 * ```
 */
export function describeSetupOp(op: SetupOp): string {
  const line = operationLine;
  switch (op.op) {
    case "unshare":
      return line("unshare", op.namespaces.join(" "));
    case "keep-namespace":
      return line(
        "keep",
        `the new mount namespace, bound at ${op.file} (remove it: umount ${op.file})`,
      );
    case "loopback":
      return line("loopback", "lo up");
    case "hostname":
      return line("hostname", op.name);
    case "root-propagation":
      return line("propagation", `/ ${op.mode}, recursively`);
    case "rootfs":
      return line(
        "rootfs",
        `${op.dir} bound onto itself, recursively, nosuid and nodev (its parent mount made private if shared)`,
      );
    case "bind":
      return line(
        op.readOnly ? "ro-bind" : "bind",
        `${op.source} at ${
          where(op.target, op.root)
        }, recursively, every mount nosuid, nodev${
          op.readOnly ? ", read-only" : ""
        } with its other flags kept`,
      );
    case "dev-bind":
      return line(
        "dev-bind",
        `${op.source} at ${
          where(op.target, op.root)
        }, recursively, nosuid with its flags kept (devices usable)`,
      );
    case "dev":
      return line("dev", `${where("/dev", op.root)}: ${describeMinimalDev()}`);
    case "tmpfs":
      return line(
        "tmpfs",
        `${where(op.target, op.root)} (nosuid, nodev, mode ${
          octalMode(op.mode)
        }${op.size === null ? "" : `, size ${op.size}`})`,
      );
    case "dir":
      return line("dir", where(op.target, op.root));
    case "symlink":
      return line("symlink", `${where(op.path, op.root)} -> ${op.target}`);
    case "read-only-root":
      return line(
        "read-only",
        `${op.dir} and every mount its bind brought, flags kept`,
      );
    case "pivot-root":
      return line(
        "pivot_root",
        `${op.dir} becomes /; the old root made private and detached`,
      );
    case "proc":
      return line(
        "proc",
        "/proc made private, recursively; fresh proc (nosuid, nodev, noexec)",
      );
    case "mask-proc":
      return line("mask-proc", describeProcMasks());
    case "chroot":
      return line("chroot", op.dir);
    case "chdir":
      return line("chdir", op.dir);
  }
}

/**
 * The last line of `--dry-run`: the command that replaces the setup.
 *
 * @example
 * ```ts
 * describeExec({ argv: ["sh", "-c", "id"], env: [], signals: { ignored: [], blocked: [] } });
 * // "exec         sh -c id"
 * ```
 */
export function describeExec(command: ExecTarget): string {
  const file = command.file ?? command.argv[0];
  const words = command.argv.map((word) =>
    /^[\w@%+=:,./-]+$/.test(word) ? word : singleQuoted(word)
  );
  return `${"exec".padEnd(PAD)} ${displayText(words.join(" "))}${
    file === command.argv[0] ? "" : ` (file ${displayText(file)})`
  }`;
}

/**
 * Whether an operation makes or sets up a namespace, rather than a mount:
 * a run's stage makes these first (`--init` starts the command's exec stage
 * between the two parts, so it is inside the new namespaces).
 *
 * @example
 * ```ts
 * entersNamespaces({ op: "hostname", name: "box" }); // true
 * ```
 */
export function entersNamespaces(op: SetupOp): boolean {
  return op.op === "unshare" || op.op === "loopback" || op.op === "hostname";
}
