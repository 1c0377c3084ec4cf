/**
 * Bringing up the loopback interface of a new network namespace, with the
 * two ioctls `ip link set lo up` makes.
 *
 * @module
 */

import { unwrap } from "./errno.ts";
import { O_CLOEXEC } from "./constants.ts";
import { systemCall } from "./libc.ts";
import { fixedBytes } from "./memory.ts";

const AF_INET = 2;
const SOCK_DGRAM = 2;
const SIOCGIFFLAGS = 0x8913;
const SIOCSIFFLAGS = 0x8914;
const IFF_UP = 0x1;
/** struct ifreq: a 16-byte name, then a 24-byte union (flags: a short). */
const IFREQ_SIZE = 40;
const IFREQ_FLAGS = 16;

/**
 * Sets `lo` up in the calling thread's network namespace.
 *
 * @example
 * ```ts
 * bringLoopbackUp();
 * ```
 */
export function bringLoopbackUp(): void {
  const fd = unwrap(systemCall("socket", AF_INET, SOCK_DGRAM | O_CLOEXEC, 0), {
    call: "socket",
  });
  try {
    const ifreq = fixedBytes(IFREQ_SIZE);
    new TextEncoder().encodeInto("lo", ifreq);
    const view = new DataView(ifreq.buffer);
    unwrap(systemCall("ioctl", fd, SIOCGIFFLAGS, ifreq), {
      call: "ioctl(SIOCGIFFLAGS)",
      paths: ["lo"],
    });
    view.setInt16(IFREQ_FLAGS, view.getInt16(IFREQ_FLAGS, true) | IFF_UP, true);
    unwrap(systemCall("ioctl", fd, SIOCSIFFLAGS, ifreq), {
      call: "ioctl(SIOCSIFFLAGS)",
      paths: ["lo"],
    });
  } finally {
    systemCall("close", fd);
  }
}
