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
 * one): new namespaces are looked for in /proc whenever the caller asks
 * and at every change, and a propagation change shows at the namespace's
 * next read.
 *
 * A table is read again whole, from the start; lines the last read had are
 * not parsed again, so a change in a table of 20,000 mounts costs the
 * kernel's read and a lookup per line.
 *
 * @module
 */

import {
  closeFd,
  isReadable,
  openReadOnly,
  pidfdOpen,
  readFromStart,
} from "../../ffi/fds.ts";
import { POLL, pollFds, type PollRequest } from "../../ffi/poll.ts";
import { decodeBytes } from "../bytes.ts";
import { CommandError } from "../errors.ts";
import {
  type Mount,
  parseLine,
  parseWellFormedLine,
} from "../mount/mountinfo.ts";
import type {
  NamespaceNotice,
  NamespaceRead,
  WatchedNamespace,
} from "../mount/watch_events.ts";
import {
  mountNamespaceOf,
  numericPids,
  otherProcessIn,
  readComm,
} from "./namespaces.ts";
import { MOUNTINFO_MAX_BYTES, MountinfoReadError } from "./read_mountinfo.ts";

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
}

/** What one read of a watch found. */
export interface WatchRead {
  /** Every watched namespace, before and after (found ones: after only). */
  reads: NamespaceRead[];
  /** Namespaces found in this read. */
  appeared: NamespaceNotice[];
  /** Namespaces with no process left, no longer watched. */
  gone: NamespaceNotice[];
}

/**
 * Parses a mountinfo text again, reusing the mount of every line the last
 * read had: the lines both reads begin and end with are compared in place
 * (a table changes in a few lines, and unchanged mounts keep their order),
 * the others looked up among the last read's.
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
  const middle: Mount[] = [];
  for (let index = head; index < lines.length - tail; index++) {
    const line = lines[index];
    const where = { source: path, line: index + 1 };
    middle.push(
      reusable.get(line) ?? parseWellFormedLine(line, where) ??
        parseLine(line, where),
    );
  }
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
 * was made: null when the process ended, or left namespace `ns`, meanwhile
 * (its pid may even have been reused since it was listed).
 */
function holdProcess(
  pid: number,
  ns: number,
): { pidfd: number; comm: string } | null {
  let pidfd: number;
  try {
    pidfd = pidfdOpen(pid);
  } catch {
    return null;
  }
  const comm = readComm(pid);
  if (comm === null || mountNamespaceOf(pid) !== ns || isReadable(pidfd)) {
    release(pidfd);
    return null;
  }
  return { pidfd, comm };
}

/**
 * Opens process `pid`'s mountinfo and a pidfd of it, and reads the table;
 * null when the process ended or left namespace `ns` meanwhile.
 */
function openProcess(pid: number, ns: number): Watched | null {
  const path = `/proc/${pid}/mountinfo`;
  let fd: number;
  try {
    fd = openReadOnly(path, { directory: false });
  } catch {
    return null;
  }
  // Checked after the open: the table is then this namespace's.
  const held = holdProcess(pid, ns);
  if (held === null) {
    release(fd);
    return null;
  }
  const watched: Watched = {
    namespace: { ns, pid, comm: held.comm },
    fd,
    path,
    pidfd: held.pidfd,
    mounts: [],
    lines: [],
    size: 0,
  };
  reread(watched);
  return watched;
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
  };
  reread(watched);
  return watched;
}

/** Process `pid`'s namespace, or a one-line error naming the process. */
function openPid(pid: number): Watched {
  const ns = mountNamespaceOf(pid);
  const watched = ns === null ? null : openProcess(pid, ns);
  if (watched === null) {
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

/**
 * A watch on mount namespaces: give {@linkcode NamespaceWatch.requests} to
 * `poll`, and what it returned to {@linkcode NamespaceWatch.read}.
 */
export class NamespaceWatch {
  #watched: Watched[];
  #all: boolean;
  #ownNs: number | null;
  /** What each poll request of the last {@linkcode requests} stands for. */
  #slots: { watched: Watched; table: boolean }[] = [];

  /**
   * Opens and reads the namespaces to watch: mntns's own, process `pid`'s,
   * or (`all`) every one on the machine, mntns's own first.
   *
   * @example
   * ```ts
   * const watch = new NamespaceWatch({ pid: null, all: true });
   * ```
   */
  constructor(options: { pid: number | null; all: boolean }) {
    this.#all = options.all;
    this.#ownNs = mountNamespaceOf("self");
    this.#watched = [
      options.pid === null ? openSelf() : openPid(options.pid),
    ];
    if (options.all) this.#addNew(processesByNamespace());
  }

  /**
   * What to wait for: each table's change, each process's end.
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
      this.#slots.push({ watched, table: true });
      requests.push({ fd: watched.fd, events: POLL.PRI });
      if (watched.pidfd !== null) {
        this.#slots.push({ watched, table: false });
        requests.push({ fd: watched.pidfd, events: POLL.IN });
      }
    }
    return requests;
  }

  /**
   * Reads what `poll` reported (`revents`, in the order of the last
   * {@linkcode requests}): the tables that changed, and any that changed
   * meanwhile; a namespace whose process ended moves to another process
   * or, with none left, is read a last time and let go. With `all`, new
   * namespaces are looked for when something changed or `scan` asks.
   *
   * @example
   * ```ts
   * import { pollFds } from "../../ffi/poll.ts";
   * const watch = new NamespaceWatch({ pid: null, all: true });
   * const revents = pollFds(watch.requests(), -1);
   * const { reads, appeared, gone } = watch.read(revents, { scan: false });
   * ```
   */
  read(revents: readonly number[], options: { scan: boolean }): WatchRead {
    const before = new Map(
      this.#watched.map((watched) => [watched, watched.mounts]),
    );
    let changed = false;
    const ended: Watched[] = [];
    revents.forEach((events, index) => {
      const slot = this.#slots[index];
      if (slot === undefined || events === 0) return;
      if (!slot.table) ended.push(slot.watched);
      else if (changedTable(events)) changed = reread(slot.watched) || changed;
    });
    changed = this.#settle() || changed;
    let scan: Map<number, number[]> | null = null;
    const processes = (): Map<number, number[]> =>
      scan ??= processesByNamespace();
    const gone: NamespaceNotice[] = [];
    const left = new Set<Watched>();
    for (const watched of ended) {
      if (this.#moveOn(watched, processes())) continue;
      reread(watched);
      gone.push({
        change: "gone",
        namespace: watched.namespace,
        mounts: watched.mounts,
      });
      left.add(watched);
    }
    const appeared: NamespaceNotice[] = [];
    if (this.#all && (options.scan || changed || ended.length > 0)) {
      for (const found of this.#addNew(processes())) {
        appeared.push({
          change: "appeared",
          namespace: found.namespace,
          mounts: found.mounts,
        });
      }
    }
    const reads = this.#watched.map((watched) => ({
      namespace: watched.namespace,
      before: before.get(watched) ?? null,
      after: watched.mounts,
    }));
    if (left.size > 0) {
      for (const watched of left) {
        release(watched.fd);
        release(watched.pidfd);
      }
      this.#watched = this.#watched.filter((watched) => !left.has(watched));
    }
    return { reads, appeared, gone };
  }

  /** Whether no namespace is left to watch. */
  get empty(): boolean {
    return this.#watched.length === 0;
  }

  /**
   * Reads again every table that changed since it was read, until none
   * has: one mount event changes several namespaces' tables, each in turn.
   */
  #settle(): boolean {
    let changed = false;
    for (let pass = 0; pass < 8; pass++) {
      const revents = pollFds(tableRequests(this.#watched), 0);
      const flagged = this.#watched.filter((_, index) =>
        changedTable(revents[index])
      );
      if (flagged.length === 0) break;
      for (const watched of flagged) changed = reread(watched) || changed;
    }
    return changed;
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
      if (held === null) continue;
      watched.namespace = { ns, pid, comm: held.comm };
      watched.pidfd = held.pidfd;
      return true;
    }
    if (ns !== this.#ownNs) return false;
    watched.namespace = { ns, pid: null, comm: null };
    return true;
  }

  /** Opens every namespace in `processes` not watched yet; returns them. */
  #addNew(processes: Map<number, number[]>): Watched[] {
    const known = new Set(this.#watched.map((watched) => watched.namespace.ns));
    const added: Watched[] = [];
    for (const [ns, pids] of processes) {
      if (known.has(ns)) continue;
      for (const pid of pids) {
        const watched = openProcess(pid, ns);
        if (watched === null) continue;
        added.push(watched);
        break;
      }
    }
    added.sort((a, b) => a.namespace.pid! - b.namespace.pid!);
    this.#watched.push(...added);
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
  }
}
