/**
 * The kernel's process events connector: a netlink socket that hears of
 * every `execve` on the machine as it happens (`<linux/cn_proc.h>`), which
 * is how `propagation watch --all-namespaces` finds a new mount namespace
 * at once (the kernel announces no namespace, but a process that makes
 * one almost always execs in it next). Only root in the machine's own PID
 * and user namespaces is heard: elsewhere the kernel ignores the request
 * to listen, silently.
 *
 * @module
 */

import { O_CLOEXEC, PROC_CONNECTOR, SOCK_NONBLOCK } from "./constants.ts";
import { E, lastErrno, SyscallError, unwrap } from "./errno.ts";
import { systemCall } from "./libc.ts";
import { fixedBytes } from "./memory.ts";

const SOCK_DGRAM = 2;
/** struct nlmsghdr: len u32, type u16, flags u16, seq u32, pid u32. */
const NLMSG_HEADER = 16;
/** struct cn_msg: idx u32, val u32, seq u32, ack u32, len u16, flags u16. */
const CN_HEADER = 20;
/** struct proc_event: what u32, cpu u32, timestamp u64, then the event. */
const EVENT_WHAT = NLMSG_HEADER + CN_HEADER;
const EVENT_DATA = EVENT_WHAT + 16;
/** The first kernel that filters events by type for each listener. */
const FILTERING_KERNEL = [6, 6];
/**
 * The receive queue asked for: room for tens of thousands of exec events
 * (the default holds a few hundred, which a busy machine fills while a
 * watcher waits for a CPU).
 */
const QUEUE_BYTES = 16 * 1024 * 1024;

/** What one drain of the socket heard. */
export interface ProcessEvents {
  /** The pids (thread group ids) that called `execve`, in order. */
  execs: number[];
  /** Whether the kernel dropped events: the socket's queue overflowed. */
  overflow: boolean;
}

/** Whether a kernel release (`6.18.0-1-amd64`) is at least `major.minor`. */
function releaseAtLeast(release: string, [major, minor]: number[]): boolean {
  const [got, gotMinor] = release.split(".").map((part) => parseInt(part));
  return got > major || (got === major && gotMinor >= minor);
}

/** Sends one `proc_cn_mcast_op` (and an event filter, when the kernel takes one). */
function subscribe(fd: number, filter: boolean): void {
  const payload = filter ? 8 : 4;
  const message = fixedBytes(EVENT_WHAT + payload);
  const view = new DataView(message.buffer);
  view.setUint32(0, message.length, true);
  view.setUint16(4, PROC_CONNECTOR.NLMSG_DONE, true);
  view.setUint32(NLMSG_HEADER, PROC_CONNECTOR.CN_IDX_PROC, true);
  view.setUint32(NLMSG_HEADER + 4, PROC_CONNECTOR.CN_VAL_PROC, true);
  view.setUint16(NLMSG_HEADER + 16, payload, true);
  view.setUint32(EVENT_WHAT, PROC_CONNECTOR.MCAST_LISTEN, true);
  if (filter) view.setUint32(EVENT_WHAT + 4, PROC_CONNECTOR.EVENT_EXEC, true);
  if (systemCall("write", fd, message, message.length) !== message.length) {
    throw new SyscallError({
      call: "write(process events connector)",
      errno: lastErrno(),
    });
  }
}

/**
 * Opens a non-blocking, close-on-exec socket on the process events
 * connector, subscribed to exec events (only those, from Linux 6.6 on;
 * before, every event comes and {@linkcode readProcessEvents} keeps the
 * execs), with a receive queue of {@linkcode QUEUE_BYTES}. Poll it for
 * `POLLIN`. Fails without root, or in a network namespace other than the
 * machine's (the connector lives only there).
 *
 * @example
 * ```ts
 * const fd = openProcessEvents(Deno.osRelease());
 * ```
 */
export function openProcessEvents(release: string): number {
  const fd = unwrap(
    systemCall(
      "socket",
      PROC_CONNECTOR.AF_NETLINK,
      SOCK_DGRAM | O_CLOEXEC | SOCK_NONBLOCK,
      PROC_CONNECTOR.NETLINK_CONNECTOR,
    ),
    {
      call: "socket(NETLINK_CONNECTOR)",
      hint:
        "the process events connector needs root in the machine's network namespace",
    },
  );
  try {
    // struct sockaddr_nl: family u16, pad u16, pid u32 (0: the kernel picks), groups u32.
    const address = fixedBytes(12);
    const view = new DataView(address.buffer);
    view.setUint16(0, PROC_CONNECTOR.AF_NETLINK, true);
    view.setUint32(8, PROC_CONNECTOR.CN_IDX_PROC, true);
    unwrap(systemCall("bind", fd, address, address.length), {
      call: "bind(NETLINK_CONNECTOR)",
      hint: "the process events connector needs root",
    });
    const size = fixedBytes(4);
    new DataView(size.buffer).setInt32(0, QUEUE_BYTES, true);
    unwrap(
      systemCall(
        "setsockopt",
        fd,
        PROC_CONNECTOR.SOL_SOCKET,
        PROC_CONNECTOR.SO_RCVBUFFORCE,
        size,
        4,
      ),
      {
        call: "setsockopt(SO_RCVBUFFORCE)",
        hint: "needs CAP_NET_ADMIN: run as root",
      },
    );
    subscribe(fd, releaseAtLeast(release, FILTERING_KERNEL));
  } catch (error) {
    systemCall("close", fd);
    throw error;
  }
  return fd;
}

const buffer = fixedBytes(4096);

/**
 * Reads every message waiting on a process events socket: the execs, and
 * whether the kernel dropped some (its queue overflowed: `ENOBUFS`).
 *
 * @example
 * ```ts
 * const fd = openProcessEvents(Deno.osRelease());
 * const { execs, overflow } = readProcessEvents(fd);
 * ```
 */
export function readProcessEvents(fd: number): ProcessEvents {
  const events: ProcessEvents = { execs: [], overflow: false };
  const view = new DataView(buffer.buffer);
  for (;;) {
    const count = unwrap(systemCall("read", fd, buffer, buffer.length), {
      call: "read(process events connector)",
      allowed: [E.INTR, E.NOBUFS, E.AGAIN],
    });
    if (count === -E.AGAIN) return events;
    if (count === -E.NOBUFS) events.overflow = true;
    if (count < EVENT_DATA + 8) continue;
    if (view.getUint32(EVENT_WHAT, true) !== PROC_CONNECTOR.EVENT_EXEC) {
      continue;
    }
    events.execs.push(view.getUint32(EVENT_DATA + 4, true));
  }
}
