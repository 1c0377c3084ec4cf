/**
 * `mntns propagation watch [PATH...]`: the words into a plan, the help, and
 * each read of the watch as text or JSON lines (lib/exec/watch.ts runs it).
 *
 * @module
 */

import { displayText } from "../bytes.ts";
import { UsageError } from "../errors.ts";
import type { Mount } from "../mount/mountinfo.ts";
import { propagationOf } from "../mount/propagation.ts";
import type {
  EventCopy,
  EventPlace,
  NamespaceNotice,
  WatchEvent,
  WatchReport,
  WatchStart,
} from "../mount/watch_events.ts";
import type { WatchPlan } from "../plan/watch_plan.ts";
import { canonicalPath } from "../system/mount_source.ts";
import { parseCommandLine, parsePositiveInteger } from "./options.ts";
import type { CommandSpec } from "./command_spec.ts";

const COMMAND = "mntns propagation watch";

/** `mntns propagation watch`: its options and help. */
export const WATCH_SPEC = {
  usage:
    `mntns propagation watch [PATH...] [--pid N | --all-namespaces] [--json]
                               [--verbose] [--first-only] [--timeout SECONDS]
                               [--signal-status]`,
  about: [{
    paragraph:
      `Print mount events as they happen: mount, umount, remount (options changed),
move, and propagation (peer group, master or unbindable changed), with the
time, namespace, mount id, mount point and propagation. A mount the kernel
copies to other places (peers of a shared mount, their slaves) is printed
once, with the places it arrived at and how (via peer group N, as slave of
group N); so is an unmount that took copies with it. With PATHs, only events
at or below them (anywhere the event went), and only namespaces that hold a
mount there.`,
  }, {
    paragraph:
      `The kernel wakes a watcher for mounts, unmounts, moves and remounts; a
propagation change alone (mount --make-*) shows with the next event in its
namespace. As root, new namespaces are found as a process in them execs
(the process events connector); elsewhere (in a PID namespace, say) /proc
is looked in once a second. A namespace's mounts made before it was found
(those the namespace it was copied from lacks) are mount events marked
"seen late". What watch could not see is said on a line of its own. As
root, watch runs at nice -20 (unless started under nice(1) with a value of
its own), so that a busy machine runs it soon after the kernel wakes it.`,
  }],
  optionWidth: 21,
  options: {
    pid: {
      type: "string",
      value: "N",
      help: "watch the mount namespace of process N",
    },
    "all-namespaces": {
      type: "boolean",
      help: `watch every mount namespace on the machine (one
process per /proc/<pid>/ns/mnt inode); say when one
appears or is gone`,
    },
    json: {
      type: "boolean",
      short: "J",
      help: `one JSON object a line: {"time","event","ns","pid",
"newNamespace","late","mountId","parent","target",
"source","fstype","options","superOptions",
"propagation","peer","master","before","copies":[...]},
{"time","event":"namespace","change","ns","pid","comm",
"copiedFrom"}, {"time","event":"warning","kind","ns",
"pid","detail"}, first {"time","event":"watch",...}`,
    },
    verbose: {
      type: "boolean",
      help: "say first how it watches (as --json always does)",
    },
    "first-only": {
      type: "boolean",
      help: `end after the first mount event (namespace, warning
and start lines do not count)`,
    },
    timeout: {
      type: "string",
      value: "SECONDS",
      help: "end after SECONDS without an event",
    },
    "signal-status": {
      type: "boolean",
      help: "end with 128+N on signal N (130 for Ctrl-C), not 0",
    },
  },
  after: [{
    paragraph:
      `Exit status: 0 after an event, and when a signal ends the watch (Ctrl-C,
SIGTERM); 1 when --timeout, or the end of every namespace it watched, ended
it before any event; 2 for wrong usage.`,
  }],
  operands: [{ placeholder: "PATH", repeated: true }],
} as const satisfies CommandSpec;

/** Seconds, as `--timeout` takes them: digits, maybe a fraction, over 0. */
function parseSeconds(text: string): number {
  const seconds = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !(seconds > 0)) {
    throw new UsageError(
      `--timeout takes a number of seconds over 0, not '${text}'`,
      COMMAND,
    );
  }
  return Math.max(1, Math.round(seconds * 1000));
}

/**
 * Turns `watch`'s words into a plan: PATHs made canonical in the watched
 * namespace (they must exist). Null when it printed the help.
 *
 * @example
 * ```ts
 * parseWatchArgs(["/mnt", "--all-namespaces", "--timeout", "5"]);
 * // { paths: ["/mnt"], pid: null, all: true, timeoutMs: 5000, ... }
 * ```
 */
export function parseWatchArgs(args: readonly string[]): WatchPlan | null {
  const parsed = parseCommandLine({
    args,
    spec: WATCH_SPEC,
    command: COMMAND,
    positionals: true,
  });
  if (parsed === null) return null;
  const { values, positionals } = parsed;
  const all = values["all-namespaces"] === true;
  if (values.pid !== undefined && all) {
    throw new UsageError(
      "--pid and --all-namespaces exclude each other",
      COMMAND,
    );
  }
  const pid = values.pid === undefined
    ? null
    : parsePositiveInteger(values.pid, { option: "--pid", command: COMMAND });
  if (positionals.includes("")) {
    throw new UsageError("PATH is empty: name a file or directory", COMMAND);
  }
  const source = pid === null
    ? { kind: "self" as const }
    : { kind: "pid" as const, pid };
  return {
    paths: positionals.map((path) => canonicalPath(path, source)),
    pid,
    all,
    json: values.json === true,
    verbose: values.verbose === true,
    firstOnly: values["first-only"] === true,
    timeoutMs: values.timeout === undefined
      ? null
      : parseSeconds(values.timeout),
    signalStatus: values["signal-status"] === true,
  };
}

/** `shared:7 master:5`, `private`, `unbindable`: propagation as mountinfo tags it. */
function propagationTags(mount: Mount): string {
  const tags: string[] = [];
  if (mount.peer !== null) tags.push(`shared:${mount.peer}`);
  if (mount.master !== null) tags.push(`master:${mount.master}`);
  if (tags.length > 0) return tags.join(" ");
  return propagationOf(mount);
}

function clock(time: Date): string {
  const two = (value: number): string => String(value).padStart(2, "0");
  return `${two(time.getHours())}:${two(time.getMinutes())}:${
    two(time.getSeconds())
  }.${String(time.getMilliseconds()).padStart(3, "0")}`;
}

function where(spot: EventPlace): string {
  const { namespace } = spot;
  const pid = namespace.pid === null ? "" : ` (pid ${namespace.pid})`;
  return `in ${spot.newNamespace ? "new " : ""}ns ${namespace.ns}${pid}${
    spot.late ? ", seen late" : ""
  }`;
}

/** What changed besides the mount point: options, fs options, propagation. */
function changes(before: Mount, after: Mount): string[] {
  const found: string[] = [];
  if (before.options !== after.options) {
    found.push(`options ${before.options} -> ${after.options}`);
  }
  if (before.superOptions !== after.superOptions) {
    found.push(`fs options ${before.superOptions} -> ${after.superOptions}`);
  }
  const old = propagationTags(before);
  const now = propagationTags(after);
  if (old !== now) found.push(`${old} -> ${now}`);
  return found;
}

function originLine(kind: WatchEvent["kind"], origin: EventPlace): string {
  const { mount, before } = origin;
  const target = kind === "move" && before !== null
    ? `${before.target} -> ${mount.target}`
    : mount.target;
  const details = [`id ${mount.id}`];
  if (kind === "mount") {
    details.push(
      `${mount.fstype} ${mount.source}`,
      mount.options,
      propagationTags(mount),
    );
  } else if (kind === "umount") {
    details.push(`${mount.fstype} ${mount.source}`);
  } else if (before !== null) {
    details.push(...changes(before, mount));
  }
  return `${kind} ${target} ${where(origin)}: ${details.join(", ")}`;
}

function copyLine(kind: WatchEvent["kind"], copy: EventCopy): string {
  const via = copy.via === null
    ? ""
    : copy.via.as === "peer"
    ? ` via peer group ${copy.via.group}`
    : ` as slave of group ${copy.via.group}`;
  const verb = kind === "umount" ? "also gone at" : "arrived at";
  const tail = kind === "umount" ? "" : `, ${propagationTags(copy.mount)}`;
  return `  ${verb} ${copy.mount.target} ${
    where(copy)
  }: id ${copy.mount.id}${via}${tail}`;
}

function noticeLine(notice: NamespaceNotice): string {
  const { namespace } = notice;
  if (notice.change === "gone") {
    return `namespace ${namespace.ns} gone: no process is left in it`;
  }
  const from = notice.copiedFrom === null
    ? ""
    : `, copied from ns ${notice.copiedFrom}`;
  return `namespace ${namespace.ns} appeared: ${
    namespace.pid === null ? "no process" : `pid ${namespace.pid}`
  } (${namespace.comm ?? "?"})${from}`;
}

function startLine(start: WatchStart): string {
  const discovery = start.discovery === null
    ? ""
    : start.discovery.how === "process events"
    ? "; new namespaces found as processes exec (process events connector)"
    : `; new namespaces looked for in /proc once a second and at every event (no process events: ${start.discovery.why})`;
  return `watching ${start.namespaces} namespace${
    start.namespaces === 1 ? "" : "s"
  }: mount events by poll(2) on each mountinfo${discovery}`;
}

/**
 * One read of a watch as text: a line per namespace found, per event (and
 * an indented line per copy of it), per namespace gone, each after the
 * local time; every name escaped for a terminal.
 *
 * @example
 * ```ts
 * import type { WatchEvent } from "../mount/watch_events.ts";
 * declare const events: WatchEvent[]; // from watchEvents()
 * watchText({
 *   time: new Date(),
 *   start: null,
 *   warnings: [],
 *   appeared: [],
 *   events,
 *   gone: [],
 * });
 * // "14:03:07.512 mount /mnt/x in ns 4026531841 (pid 1): id 120, tmpfs t, rw,relatime, private\n"
 * ```
 */
export function watchText(report: WatchReport): string {
  const stamp = clock(report.time);
  const lines: string[] = [
    ...(report.start === null ? [] : [`${stamp} ${startLine(report.start)}`]),
    ...report.warnings.map((warning) => `${stamp} warning: ${warning.detail}`),
    ...report.appeared.map((notice) => `${stamp} ${noticeLine(notice)}`),
  ];
  for (const event of report.events) {
    lines.push(`${stamp} ${originLine(event.kind, event.origin)}`);
    for (const copy of event.copies) lines.push(copyLine(event.kind, copy));
  }
  lines.push(...report.gone.map((notice) => `${stamp} ${noticeLine(notice)}`));
  return lines.map((line) => `${displayText(line)}\n`).join("");
}

/** A mount's state as JSON prints it. */
function mountState(mount: Mount): Record<string, unknown> {
  return {
    mountId: mount.id,
    parent: mount.parent,
    target: mount.target,
    source: mount.source,
    fstype: mount.fstype,
    options: mount.options,
    superOptions: mount.superOptions,
    propagation: propagationOf(mount),
    peer: mount.peer,
    master: mount.master,
  };
}

function placeJson(spot: EventPlace): Record<string, unknown> {
  return {
    ns: spot.namespace.ns,
    pid: spot.namespace.pid,
    newNamespace: spot.newNamespace,
    late: spot.late,
    ...mountState(spot.mount),
  };
}

/**
 * One read of a watch as JSON lines: one object per namespace found, per
 * event (its copies in an array), per namespace gone (the schema is in
 * docs/propagation.md, `propagation watch`).
 *
 * @example
 * ```ts
 * import type { WatchEvent } from "../mount/watch_events.ts";
 * declare const events: WatchEvent[]; // from watchEvents()
 * watchJson({
 *   time: new Date(),
 *   start: null,
 *   warnings: [],
 *   appeared: [],
 *   events,
 *   gone: [],
 * });
 * // '{"time":"2026-11-27T10:00:00.000Z","event":"mount","ns":4026531841,...,"copies":[]}\n'
 * ```
 */
export function watchJson(report: WatchReport): string {
  const time = report.time.toISOString();
  const notice = (item: NamespaceNotice): Record<string, unknown> => ({
    time,
    event: "namespace",
    change: item.change,
    ns: item.namespace.ns,
    pid: item.namespace.pid,
    comm: item.namespace.comm,
    ...(item.change === "appeared" ? { copiedFrom: item.copiedFrom } : {}),
  });
  const start = report.start === null ? [] : [{
    time,
    event: "watch",
    namespaces: report.start.namespaces,
    mountEvents: "mountinfo poll",
    discovery: report.start.discovery?.how ?? null,
    why: report.start.discovery?.why ?? null,
  }];
  const objects = [
    ...start,
    ...report.warnings.map((warning) => ({
      time,
      event: "warning",
      kind: warning.kind,
      ns: warning.ns,
      pid: warning.pid,
      detail: warning.detail,
    })),
    ...report.appeared.map(notice),
    ...report.events.map((event) => ({
      time,
      event: event.kind,
      ...placeJson(event.origin),
      before: event.origin.before === null
        ? null
        : mountState(event.origin.before),
      copies: event.copies.map((copy) => ({
        ...placeJson(copy),
        via: copy.via,
      })),
    })),
    ...report.gone.map(notice),
  ];
  return objects.map((object) => `${JSON.stringify(object)}\n`).join("");
}
