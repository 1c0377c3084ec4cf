/**
 * `mntns enter`'s executor: a command in the namespaces of a running
 * process, of a kept namespace file, or of a run found by its hostname.
 *
 * Every descriptor is opened first, from this namespace: the target's
 * namespace files, its root and its working directory, with a pidfd held
 * meanwhile so a PID that exits (and may be reused) is caught. Without a
 * PID namespace to enter, this process joins the others on its main thread
 * and becomes the command, as nsenter does (same PID). A PID namespace
 * applies to children only: mntns then joins it for the children it starts
 * next, starts its enter stage (mntns again, with the forwarded signals
 * blocked from its first instruction) as a member of it, returns to its own
 * PID namespace, sends the stage its plan through a pipe, and replaces
 * itself with the wait stage, which passes signals on and returns the
 * command's status. The stage joins the other namespaces, takes the root
 * and directory, and execs the command with the caller's signal state.
 *
 * @module
 */

import { NAMESPACE_FLAGS } from "../../ffi/constants.ts";
import { SyscallError } from "../../ffi/errno.ts";
import {
  closeFd,
  isReadable,
  openReadOnly,
  pidfdOpen,
  setCloseOnExec,
} from "../../ffi/fds.ts";
import { makeGate } from "../../ffi/gate.ts";
import { joinNamespace } from "../../ffi/namespaces.ts";
import { CommandError } from "../errors.ts";
import { ENTER_ORDER, type EnterPlan } from "../plan/enter_plan.ts";
import type { ExecTarget } from "../plan/exec_target.ts";
import type { UnshareName } from "../system/process_namespaces.ts";
import { openNamespaceFile } from "../system/namespace_file.ts";
import { namespaceInode } from "../system/process_namespaces.ts";
import { requireProc } from "../system/proc.ts";
import { findRuns } from "../system/runs.ts";
import { FORWARDED_SIGNALS } from "../system/signals.ts";
import { execCommand } from "./exec_command.ts";
import {
  joinDescriptors,
  type JoinPlan,
  joinTarget,
  type NamespaceToJoin,
} from "./join_namespaces.ts";
import { sendPlan } from "./stages/received_plan.ts";
import { execSelf, spawnSelf } from "./stages/self_command.ts";
import {
  ENTER_STAGE,
  ENTER_WAIT_STAGE,
  RUN_STAGE,
  WAIT_STAGE,
} from "./stages/stage_names.ts";
import { supervisedSignals } from "./stages/supervise.ts";

/** What the enter stage receives: where to go, and the command. */
export interface EnterStagePlan extends JoinPlan {
  /** The command to exec there. */
  command: ExecTarget;
}

/** The run whose hostname is `name`; one line when none or several have it. */
function runNamed(name: string): number {
  const runs = findRuns({ wait: WAIT_STAGE, run: RUN_STAGE }).filter((run) =>
    run.hostname === name
  );
  if (runs.length === 1) return runs[0].pid;
  if (runs.length === 0) {
    throw new CommandError(
      `no running mntns run has the hostname ${name} — see 'mntns ps', or give a PID`,
    );
  }
  throw new CommandError(
    `${runs.length} running mntns runs have the hostname ${name} (PIDs ${
      runs.map((run) => run.pid).join(", ")
    }) — give one of the PIDs`,
  );
}

function openFrom(pid: number, name: string, directory: boolean): number {
  try {
    return openReadOnly(`/proc/${pid}/${name}`, { directory });
  } catch (error) {
    if (!(error instanceof SyscallError)) throw error;
    throw new CommandError(
      `cannot open /proc/${pid}/${name}: ${error.code} — ${
        error.code === "EACCES" || error.code === "EPERM"
          ? "run as root"
          : `did pid ${pid} exit?`
      }`,
    );
  }
}

/**
 * The descriptors of a process's namespaces (those asked for, or those
 * that differ from this process's), its root and working directory (when
 * CMD will share its mount namespace).
 */
function openProcess(
  pid: number,
  wanted: readonly UnshareName[] | null,
): JoinPlan {
  let pidfd: number;
  try {
    pidfd = pidfdOpen(pid);
  } catch (error) {
    // EINVAL: a number beyond any PID.
    if (
      error instanceof SyscallError &&
      (error.code === "ESRCH" || error.code === "EINVAL")
    ) {
      throw new CommandError(`pid ${pid}: no such process`);
    }
    throw error;
  }
  const label = `pid ${pid}`;
  const plan: JoinPlan = {
    label,
    namespaces: [],
    root: null,
    cwd: null,
    wd: null,
  };
  try {
    for (const name of ENTER_ORDER) {
      const theirs = namespaceInode(pid, name);
      if (theirs === null) {
        if (isReadable(pidfd)) break;
        throw new CommandError(
          `cannot read the namespaces of pid ${pid} — run as root`,
        );
      }
      const enter = wanted === null
        ? theirs !== namespaceInode("self", name)
        : wanted.includes(name);
      if (enter) {
        plan.namespaces.push({ name, fd: openFrom(pid, `ns/${name}`, false) });
      }
    }
    const sharesMounts = plan.namespaces.some((ns) => ns.name === "mnt") ||
      namespaceInode(pid, "mnt") === namespaceInode("self", "mnt");
    if (sharesMounts && !isReadable(pidfd)) {
      plan.root = openFrom(pid, "root", true);
      plan.cwd = openFrom(pid, "cwd", true);
    }
    if (isReadable(pidfd)) {
      throw new CommandError(`pid ${pid} exited before it could be entered`);
    }
  } catch (error) {
    for (const fd of joinDescriptors(plan)) closeFd(fd);
    throw error;
  } finally {
    closeFd(pidfd);
  }
  return plan;
}

/**
 * The descriptor of a kept mount namespace's file (`isolate --mount=FILE`,
 * `unshare --mount=FILE`); a file that holds any other namespace is
 * refused, as `propagation show --ns` refuses it.
 */
function openFile(
  path: string,
  wanted: readonly UnshareName[] | null,
): JoinPlan {
  const file = openNamespaceFile(path);
  const problem = file.kind !== "mnt"
    ? `holds a ${file.kind} namespace, not a mount namespace — enter it with nsenter --${file.kind}=${path}`
    : wanted !== null && wanted.some((asked) => asked !== "mnt")
    ? "holds a mount namespace only — ask for that one, or for none"
    : null;
  if (problem !== null) {
    closeFd(file.fd);
    throw new CommandError(`${path}: ${problem}`);
  }
  return {
    label: path,
    namespaces: [{ name: "mnt", fd: file.fd }],
    root: null,
    cwd: null,
    wd: null,
  };
}

/**
 * Starts the enter stage inside the target's PID namespace, sends it the
 * rest of the plan, and becomes the wait stage. Returns only by throwing.
 */
function enterThroughStage(
  join: JoinPlan,
  pidNamespace: NamespaceToJoin,
  command: ExecTarget,
): never {
  const forwarded = FORWARDED_SIGNALS.filter((signal) =>
    !command.signals.ignored.includes(signal)
  );
  const blocked = supervisedSignals(forwarded);
  const own = openReadOnly("/proc/self/ns/pid", { directory: false });
  const channel = makeGate();
  const inherited = [channel.readFd, ...joinDescriptors(join)];
  let stage: number;
  try {
    for (const fd of inherited) setCloseOnExec(fd, false);
    try {
      joinNamespace(pidNamespace.fd, NAMESPACE_FLAGS.pid);
    } catch (error) {
      if (!(error instanceof SyscallError)) throw error;
      throw new CommandError(
        `cannot enter the pid namespace of ${join.label}: ${error.message}`,
      );
    }
    // While this thread's PID namespace for children is not its own, the
    // kernel refuses new threads: it goes back right after the spawn.
    try {
      stage = spawnSelf({
        words: [ENTER_STAGE, String(channel.readFd)],
        blocked,
      });
    } finally {
      joinNamespace(own, NAMESPACE_FLAGS.pid);
    }
  } finally {
    for (const fd of [own, pidNamespace.fd, ...inherited]) closeFd(fd);
  }
  const plan: EnterStagePlan = { ...join, command };
  sendPlan(channel.writeFd, plan);
  return execSelf({
    words: [ENTER_WAIT_STAGE, String(stage), "plain", forwarded.join(",")],
    blocked,
  });
}

/**
 * Carries out an enter plan. Returns only by throwing.
 *
 * @example
 * ```ts
 * import { parseEnterArgs } from "../cli/enter.ts";
 * import { readCaller } from "../system/proc.ts";
 *
 * executeEnter(parseEnterArgs(["box", "--", "hostname"], readCaller())!);
 * ```
 */
export function executeEnter(plan: EnterPlan): never {
  requireProc();
  const target = plan.target;
  const join = target.kind === "file"
    ? openFile(target.path, plan.namespaces)
    : openProcess(
      target.kind === "pid" ? target.pid : runNamed(target.name),
      plan.namespaces,
    );
  join.wd = plan.wd;
  const pidNamespace = join.namespaces.find((ns) => ns.name === "pid");
  if (pidNamespace === undefined) {
    joinTarget(join);
    return execCommand(plan.command);
  }
  return enterThroughStage(
    {
      ...join,
      namespaces: join.namespaces.filter((ns) => ns !== pidNamespace),
    },
    pidNamespace,
    plan.command,
  );
}
