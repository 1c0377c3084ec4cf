/**
 * Watching mount tables: one namespace (mntns's own, or a process's) or
 * every mount namespace on the machine, each through an open
 * `/proc/PID/mountinfo` that `poll` reports with `POLLPRI` when its table
 * changes (as findmnt and libmount's monitor wait), and a pidfd of the
 * process it is seen through, which reports that process's end.
 *
 * An open mountinfo holds its namespace: when the process it is seen
 * through ends, another process in the namespace takes its place, and when
 * none is left the descriptor is closed (the namespace is gone, unless a
 * file or a descriptor elsewhere holds it). The kernel announces neither a
 * new namespace nor a propagation change alone (`mount --make-*` wakes no
 * one): a propagation change shows at the namespace's next read, and new
 * namespaces are found through the process events connector
 * (ffi/process_events.ts): a process that execs is looked at at once, as a
 * process that makes a namespace almost always execs in it next. Where the
 * connector cannot be heard (not root, or in a PID namespace other than
 * the machine's, whose pids it does not give), /proc is scanned whenever
 * the caller asks and at every change instead. A namespace seen late (after
 * its creator mounted in it, or even after it ended: its mountinfo opened
 * while a process was in it still reads) has its table told against the
 * table of the namespace it was copied from: its creator's, the nearest
 * ancestor process in another namespace.
 *
 * A table is read again whole, from the start; lines the last read had are
 * not parsed again, so a change in a table of 20,000 mounts costs the
 * kernel's read and a lookup per line.
 *
 * @module
 */

import { E, SyscallError } from "../../ffi/errno.ts";
import {
  closeFd,
  isReadable,
  openReadOnly,
  pidfdOpen,
  readFromStart,
} from "../../ffi/fds.ts";
import { POLL, pollFds, type PollRequest } from "../../ffi/poll.ts";
import {
  openProcessEvents,
  readProcessEvents,
} from "../../ffi/process_events.ts";
import { decodeBytes } from "../bytes.ts";
import { CommandError } from "../errors.ts";
import type { Mount } from "../mount/mountinfo.ts";
import { parseMountinfo } from "../mount/mount_table.ts";
import type {
  Discovery,
  NamespaceNotice,
  NamespaceRead,
  WatchedNamespace,
  WatchWarning,
} from "../mount/watch_events.ts";
import {
  mountNamespaceOf,
  numericPids,
  otherProcessIn,
  readComm,
} from "./namespaces.ts";
import { namespaceInode } from "./process_namespaces.ts";
import { processStat } from "./process_stat.ts";
import { MOUNTINFO_MAX_BYTES, MountinfoReadError } from "./read_mountinfo.ts";

/** The inode of the machine's own PID namespace (`PROC_PID_INIT_INO`). */
const INIT_PID_NAMESPACE = 0xeffffffc;

/** How many ancestors are looked at for the namespace a new one was copied from. */
const ANCESTORS = 64;

/** One watched namespace and what holds it open. */
interface Watched {
  namespace: WatchedNamespace;
  /** The open mountinfo. */
  fd: number;
  /** Its path, for messages. */
  path: string;
  /** A pidfd of `namespace.pid`; null for mntns's own namespace. */
  pidfd: number | null;
  /** The mounts at the last read. */
  mounts: Mount[];
  /** Their mountinfo lines, in the same order. */
  lines: string[];
  /** The bytes of the last read. */
  size: number;
  /** The namespace it was copied from, where that was told. */
  copiedFrom: number | null;
  /** Whether its last process had ended when it was found. */
  ended: boolean;
}

/** What one read of a watch found. */
export interface WatchRead {
  /** Every watched namespace, before and after (found ones: after only). */
  reads: NamespaceRead[];
  /** Namespaces found in this read. */
  appeared: NamespaceNotice[];
  /** Namespaces with no process left, no longer watched. */
  gone: NamespaceNotice[];
  /** What could not be seen. */
  warnings: WatchWarning[];
}

/**
 * Parses a mountinfo text again, reusing the mount of every line the last
 * read had: the lines both reads begin and end with are compared in place
 * (a table changes in a few lines, and unchanged mounts keep their order),
 * the others looked up among the last read's (those not found are parsed).
 */
function parseAgain(
  text: string,
  previous: { lines: readonly string[]; mounts: readonly Mount[] },
  path: string,
): { mounts: Mount[]; lines: string[] } {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const old = previous.lines;
  const shorter = Math.min(lines.length, old.length);
  let head = 0;
  while (head < shorter && lines[head] === old[head]) head++;
  let tail = 0;
  while (
    tail < shorter - head &&
    lines[lines.length - 1 - tail] === old[old.length - 1 - tail]
  ) tail++;
  const reusable = new Map<string, Mount>();
  for (let index = head; index < old.length - tail; index++) {
    reusable.set(old[index], previous.mounts[index]);
  }
  const changed = lines.slice(head, lines.length - tail);
  const parsed = parseMountinfo(changed.join("\n"), {
    source: path,
    firstLine: head + 1,
  });
  const middle = changed.map((line, index) =>
    reusable.get(line) ?? parsed[index]
  );
  const mounts = [
    ...previous.mounts.slice(0, head),
    ...middle,
    ...previous.mounts.slice(previous.mounts.length - tail),
  ];
  return { mounts, lines };
}

/** Reads a watched table again; true when it changed. */
function reread(watched: Watched): boolean {
  const bytes = readFromStart(watched.fd, {
    maxBytes: MOUNTINFO_MAX_BYTES,
    sizeHint: watched.size,
  });
  if (bytes === null) {
    throw new MountinfoReadError(
      `${watched.path}: more than ${
        MOUNTINFO_MAX_BYTES / (1024 * 1024)
      } MiB of mountinfo — too many mounts to watch`,
    );
  }
  const { mounts, lines } = parseAgain(
    decodeBytes(bytes),
    watched,
    watched.path,
  );
  watched.size = bytes.length;
  const changed = mounts.length !== watched.mounts.length ||
    mounts.some((mount, index) => mount !== watched.mounts[index]);
  if (changed) watched.mounts = mounts;
  watched.lines = lines;
  return changed;
}

/** A descriptor closed, quietly: it is being let go. */
function release(fd: number | null): void {
  if (fd === null) return;
  try {
    closeFd(fd);
  } catch {
    // Nothing to do about a descriptor that will not close.
  }
}

/** Every other process's mount namespace: inode → its pids, lowest first. */
function processesByNamespace(): Map<number, number[]> {
  const self = Deno.pid;
  const found = new Map<number, number[]>();
  for (const pid of numericPids()) {
    if (pid === self) continue;
    const ns = mountNamespaceOf(pid);
    if (ns === null) continue;
    const pids = found.get(ns);
    if (pids) pids.push(pid);
    else found.set(ns, [pid]);
  }
  return found;
}

/**
 * A pidfd of process `pid` and its command name, checked after the pidfd
 * was made: `ended` when the process ended meanwhile, `left` when it left
 * namespace `ns`.
 */
function holdProcess(
  pid: number,
  ns: number,
): { pidfd: number; comm: string } | "ended" | "left" {
  let pidfd: number;
  try {
    pidfd = pidfdOpen(pid);
  } catch {
    return "ended";
  }
  const comm = readComm(pid);
  const now = mountNamespaceOf(pid);
  if (comm === null || now === null || isReadable(pidfd)) {
    release(pidfd);
    return "ended";
  }
  if (now !== ns) {
    release(pidfd);
    return "left";
  }
  return { pidfd, comm };
}

/** A namespace that could not be read, and why. */
interface Unreadable {
  unreadable: string;
}

/**
 * Opens process `pid`'s mountinfo and a pidfd of it, and reads the table;
 * null when the process ended before its mountinfo opened, or left
 * namespace `ns`. A process that ended after the open leaves a table that
 * still reads (the open file holds the namespace): it is watched `ended`,
 * with no pidfd (its pid, read from /proc/PID/ns/mnt a moment before the
 * open, cannot have been reused in that moment: pids go round first).
 */
function openProcess(pid: number, ns: number): Watched | Unreadable | null {
  const path = `/proc/${pid}/mountinfo`;
  let fd: number;
  try {
    fd = openReadOnly(path, { directory: false });
  } catch (error) {
    // EINVAL: the process is exiting, its namespaces already let go.
    const gone = error instanceof SyscallError &&
      (error.errno === E.NOENT || error.errno === E.SRCH ||
        error.errno === E.INVAL);
    return gone ? null : {
      unreadable: error instanceof Error ? error.message : String(error),
    };
  }
  // Checked after the open: the table is then this namespace's.
  const held = holdProcess(pid, ns);
  if (held === "left") {
    release(fd);
    return null;
  }
  const ended = held === "ended";
  const watched: Watched = {
    namespace: { ns, pid, comm: ended ? readComm(pid) : held.comm },
    fd,
    path,
    pidfd: ended ? null : held.pidfd,
    mounts: [],
    lines: [],
    size: 0,
    copiedFrom: null,
    ended,
  };
  try {
    reread(watched);
  } catch (error) {
    release(fd);
    release(watched.pidfd);
    if (error instanceof SyscallError || error instanceof MountinfoReadError) {
      return { unreadable: error.message };
    }
    throw error;
  }
  return watched;
}

/** The namespaces of process `pid`'s ancestors, nearest first (at most {@linkcode ANCESTORS}). */
function ancestorNamespaces(pid: number): number[] {
  const found: number[] = [];
  let current = processStat(pid)?.ppid ?? 0;
  while (current > 0 && found.length < ANCESTORS) {
    const ns = mountNamespaceOf(current);
    if (ns === null) break;
    found.push(ns);
    current = processStat(current)?.ppid ?? 0;
  }
  return found;
}

/** The namespaces of the processes that called exec, not known yet: ns → pids. */
function namespacesOf(
  pids: readonly number[],
  known: ReadonlySet<number>,
): Map<number, number[]> {
  const found = new Map<number, number[]>();
  for (const pid of pids) {
    const ns = mountNamespaceOf(pid);
    if (ns === null || known.has(ns)) continue;
    const list = found.get(ns);
    if (list) list.push(pid);
    else found.set(ns, [pid]);
  }
  return found;
}

/** mntns's own namespace, named by another process in it (or none). */
function openSelf(): Watched {
  const ns = mountNamespaceOf("self");
  if (ns === null) {
    throw new CommandError(
      "/proc/self/ns/mnt: cannot read this process's mount namespace — run as root",
    );
  }
  const path = "/proc/self/mountinfo";
  const watched: Watched = {
    namespace: { ns, ...otherProcessIn(ns) },
    fd: openReadOnly(path, { directory: false }),
    path,
    pidfd: null,
    mounts: [],
    lines: [],
    size: 0,
    copiedFrom: null,
    ended: false,
  };
  reread(watched);
  return watched;
}

/** Process `pid`'s namespace, or a one-line error naming the process. */
function openPid(pid: number): Watched {
  const ns = mountNamespaceOf(pid);
  const watched = ns === null ? null : openProcess(pid, ns);
  if (watched !== null && "unreadable" in watched) {
    throw new CommandError(
      `/proc/${pid}/mountinfo: the mount namespace of pid ${pid} cannot be read (${watched.unreadable}) — run as root`,
    );
  }
  if (watched?.ended) release(watched.fd);
  if (watched === null || watched.ended) {
    throw new CommandError(
      `/proc/${pid}/mountinfo: no process with pid ${pid}, or its mount namespace cannot be read — give a running process; run as root`,
    );
  }
  return watched;
}

/** The mountinfo descriptors of the watched namespaces, for `poll`. */
function tableRequests(watched: readonly Watched[]): PollRequest[] {
  return watched.map((item) => ({ fd: item.fd, events: POLL.PRI }));
}

function changedTable(events: number): boolean {
  return (events & (POLL.PRI | POLL.ERR)) !== 0;
}

/** What each poll request of {@linkcode NamespaceWatch.requests} stands for. */
type Slot =
  | { kind: "table" | "process"; watched: Watched }
  | { kind: "events" };

/** The process events connector, when it can be used here; else why not. */
function openDiscovery(): { fd: number | null; discovery: Discovery } {
  if (namespaceInode("self", "pid") !== INIT_PID_NAMESPACE) {
    return {
      fd: null,
      discovery: {
        how: "scan",
        why:
          "in a PID namespace other than the machine's, whose pids the process events connector does not give",
      },
    };
  }
  try {
    return {
      fd: openProcessEvents(Deno.osRelease()),
      discovery: { how: "process events", why: null },
    };
  } catch (error) {
    if (!(error instanceof SyscallError)) throw error;
    return { fd: null, discovery: { how: "scan", why: error.message } };
  }
}

/**
 * A watch on mount namespaces: give {@linkcode NamespaceWatch.requests} to
 * `poll`, and what it returned to {@linkcode NamespaceWatch.read}.
 */
export class NamespaceWatch {
  #watched: Watched[];
  #all: boolean;
  #ownNs: number | null;
  /** The process events connector's socket; null without it. */
  #events: number | null = null;
  /** How new namespaces are found (with `all`). */
  readonly discovery: Discovery | null = null;
  /** What each poll request of the last {@linkcode requests} stands for. */
  #slots: Slot[] = [];
  /** Namespaces found unreadable at the first look, not said yet. */
  #warnings: WatchWarning[] = [];

  /**
   * Opens and reads the namespaces to watch: mntns's own, process `pid`'s,
   * or (`all`) every one on the machine, mntns's own first, and from then
   * on every new one (see {@linkcode discovery}).
   *
   * @example
   * ```ts
   * const watch = new NamespaceWatch({ pid: null, all: true });
   * watch.discovery?.how; // "process events", as root
   * ```
   */
  constructor(options: { pid: number | null; all: boolean }) {
    this.#all = options.all;
    this.#ownNs = mountNamespaceOf("self");
    this.#watched = [
      options.pid === null ? openSelf() : openPid(options.pid),
    ];
    if (options.all) {
      // Listening first: a namespace made during the scan is heard of.
      const opened = openDiscovery();
      this.#events = opened.fd;
      this.discovery = opened.discovery;
      this.#addNew(processesByNamespace());
    }
  }

  /** Whether new namespaces are found only by a scan: the caller asks for one now and then. */
  get scansOnTimer(): boolean {
    return this.#all && this.#events === null;
  }

  /**
   * What to wait for: each table's change, each process's end, and with
   * the process events connector, an exec.
   *
   * @example
   * ```ts
   * import { pollFds } from "../../ffi/poll.ts";
   * const watch = new NamespaceWatch({ pid: null, all: false });
   * const revents = pollFds(watch.requests(), -1);
   * ```
   */
  requests(): PollRequest[] {
    this.#slots = [];
    const requests: PollRequest[] = [];
    for (const watched of this.#watched) {
      this.#slots.push({ kind: "table", watched });
      requests.push({ fd: watched.fd, events: POLL.PRI });
      if (watched.pidfd !== null) {
        this.#slots.push({ kind: "process", watched });
        requests.push({ fd: watched.pidfd, events: POLL.IN });
      }
    }
    if (this.#events !== null) {
      this.#slots.push({ kind: "events" });
      requests.push({ fd: this.#events, events: POLL.IN });
    }
    return requests;
  }

  /**
   * Reads what `poll` reported (`revents`, in the order of the last
   * {@linkcode requests}): the tables that changed, and any that changed
   * meanwhile; a namespace whose process ended moves to another process
   * or, with none left, is read a last time and let go. With `all`, the
   * namespaces of processes that called exec are looked at first, and
   * again between the reads of tables that keep changing; without the
   * process events connector, or when its queue overflowed, /proc is
   * scanned for new namespaces when something changed or `scan` asks.
   *
   * @example
   * ```ts
   * import { pollFds } from "../../ffi/poll.ts";
   * const watch = new NamespaceWatch({ pid: null, all: true });
   * const revents = pollFds(watch.requests(), -1);
   * const { reads, appeared, gone, warnings } = watch.read(revents, { scan: false });
   * ```
   */
  read(revents: readonly number[], options: { scan: boolean }): WatchRead {
    const before = new Map(
      this.#watched.map((watched) => [watched, watched.mounts]),
    );
    const warnings = this.#warnings;
    this.#warnings = [];
    let changed = false;
    const ended: Watched[] = [];
    const found: Watched[] = [];
    // The processes that called exec first: one that made a namespace may
    // end soon, and the tables that changed can take long to read (one of
    // 20,000 mounts tens of ms, and again while it keeps changing).
    let overflow =
      revents.some((events, index) =>
        events !== 0 && this.#slots[index]?.kind === "events"
      ) && this.#hear(found);
    revents.forEach((events, index) => {
      const slot = this.#slots[index];
      if (slot === undefined || events === 0) return;
      if (slot.kind === "process") ended.push(slot.watched);
      else if (slot.kind === "table" && changedTable(events)) {
        changed = reread(slot.watched) || changed;
      }
    });
    const settled = this.#settle(found);
    changed = settled.changed || changed;
    overflow = settled.overflow || overflow;
    if (overflow) {
      warnings.push({
        kind: "overflow",
        detail:
          "the kernel's queue of process events overflowed: new namespaces were looked for in /proc",
        ns: null,
        pid: null,
      });
    }
    let scan: Map<number, number[]> | null = null;
    const processes = (): Map<number, number[]> =>
      scan ??= processesByNamespace();
    const gone: NamespaceNotice[] = [];
    const left = new Set<Watched>();
    const letGo = (watched: Watched): void => {
      gone.push({
        change: "gone",
        namespace: watched.namespace,
        mounts: watched.mounts,
        copiedFrom: null,
      });
      left.add(watched);
    };
    for (const watched of ended) {
      if (this.#moveOn(watched, processes())) continue;
      reread(watched);
      letGo(watched);
    }
    const scanning = this.#all && (overflow ||
      (this.#events === null &&
        (options.scan || changed || ended.length > 0)));
    if (scanning) found.push(...this.#addNew(processes()));
    const appeared: NamespaceNotice[] = found.map((item) => ({
      change: "appeared",
      namespace: item.namespace,
      mounts: item.mounts,
      copiedFrom: item.copiedFrom,
    }));
    const fallback = this.#watched[0].mounts;
    const reads = this.#watched.map((watched): NamespaceRead => {
      const was = before.get(watched) ?? null;
      if (was !== null) {
        return {
          namespace: watched.namespace,
          before: was,
          after: watched.mounts,
        };
      }
      const copiedFrom = this.#watched.find((item) =>
        item.namespace.ns === watched.copiedFrom
      );
      return {
        namespace: watched.namespace,
        before: null,
        after: watched.mounts,
        baseline: copiedFrom?.mounts ?? fallback,
      };
    });
    for (const watched of found) if (watched.ended) letGo(watched);
    warnings.push(...this.#warnings);
    this.#warnings = [];
    if (left.size > 0) {
      for (const watched of left) {
        release(watched.fd);
        release(watched.pidfd);
      }
      this.#watched = this.#watched.filter((watched) => !left.has(watched));
    }
    return { reads, appeared, gone, warnings };
  }

  /** How many namespaces it watches. */
  get size(): number {
    return this.#watched.length;
  }

  /** Whether no namespace is left to watch. */
  get empty(): boolean {
    return this.#watched.length === 0;
  }
  /**
   * Reads again every table that changed since it was read, until none
   * has: one mount event changes several namespaces' tables, each in turn.
   * Before each pass, the processes that called exec meanwhile are looked
   * at, their new namespaces added to `found`.
   */
  #settle(found: Watched[]): { changed: boolean; overflow: boolean } {
    let changed = false;
    let overflow = false;
    for (let pass = 0; pass < 8; pass++) {
      const events = this.#events;
      if (events !== null && pollFds([{ fd: events, events: POLL.IN }], 0)[0]) {
        overflow = this.#hear(found) || overflow;
      }
      const revents = pollFds(tableRequests(this.#watched), 0);
      const flagged = this.#watched.filter((_, index) =>
        changedTable(revents[index])
      );
      if (flagged.length === 0) break;
      for (const watched of flagged) changed = reread(watched) || changed;
    }
    return { changed, overflow };
  }

  /**
   * Reads the process events connector: the namespaces of the processes
   * that called exec, not watched yet, are opened (an open table holds its
   * namespace, whatever its processes do next) and added to `found`.
   * Returns whether the kernel's queue overflowed.
   */
  #hear(found: Watched[]): boolean {
    const heard = readProcessEvents(this.#events!);
    const known = new Set(this.#watched.map((item) => item.namespace.ns));
    found.push(...this.#addNew(namespacesOf(heard.execs, known)));
    return heard.overflow;
  }

  /**
   * After the process a namespace is seen through ended: sees it through
   * another process in it (true) — its table still through the descriptor
   * opened first, which holds the namespace, so its paths stay relative to
   * the same root — or, in mntns's own namespace, through none (true);
   * false when no process is left in it.
   */
  #moveOn(watched: Watched, processes: Map<number, number[]>): boolean {
    release(watched.pidfd);
    watched.pidfd = null;
    const { ns } = watched.namespace;
    for (const pid of processes.get(ns) ?? []) {
      const held = holdProcess(pid, ns);
      if (typeof held === "string") continue;
      watched.namespace = { ns, pid, comm: held.comm };
      watched.pidfd = held.pidfd;
      return true;
    }
    if (ns !== this.#ownNs) return false;
    watched.namespace = { ns, pid: null, comm: null };
    return true;
  }

  /**
   * Opens every namespace in `processes` not watched yet, notes the ones
   * that cannot be read, and tells which namespace each was copied from:
   * the nearest ancestor's namespace other than its own, when that one is
   * watched. Returns them, by pid.
   */
  #addNew(processes: Map<number, number[]>): Watched[] {
    const known = new Set(this.#watched.map((watched) => watched.namespace.ns));
    const added: Watched[] = [];
    for (const [ns, pids] of processes) {
      if (known.has(ns)) continue;
      for (const pid of pids) {
        const opened = openProcess(pid, ns);
        if (opened === null) continue;
        if ("unreadable" in opened) {
          this.#warnings.push({
            kind: "unreadable",
            detail:
              `namespace ${ns} (pid ${pid}) cannot be read: ${opened.unreadable}`,
            ns,
            pid,
          });
        } else added.push(opened);
        break;
      }
    }
    added.sort((a, b) => a.namespace.pid! - b.namespace.pid!);
    this.#watched.push(...added);
    const watchedNs = new Set(this.#watched.map((item) => item.namespace.ns));
    for (const watched of added) {
      const { ns, pid } = watched.namespace;
      const creator = ancestorNamespaces(pid!).find((other) => other !== ns);
      if (creator !== undefined && watchedNs.has(creator)) {
        watched.copiedFrom = creator;
      }
    }
    return added;
  }

  /**
   * Closes every descriptor the watch holds.
   *
   * @example
   * ```ts
   * const watch = new NamespaceWatch({ pid: 1, all: false });
   * watch.close();
   * ```
   */
  close(): void {
    for (const watched of this.#watched) {
      release(watched.fd);
      release(watched.pidfd);
    }
    this.#watched = [];
    release(this.#events);
    this.#events = null;
  }
}
