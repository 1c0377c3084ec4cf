/**
 * The calls that change who a process is and what it may do: groups, user
 * and group ids, capabilities (bounding, effective, permitted, inheritable,
 * ambient), no_new_privs and the session.
 *
 * Capabilities, no_new_privs and keep-caps belong to the calling thread:
 * mntns makes them on the main thread, the one that then calls `execve`
 * (the new program takes that thread's credentials). glibc's `setgroups`,
 * `setresgid` and `setresuid` change every thread of the process.
 *
 * @module
 */

import { PR } from "./constants.ts";
import { lastErrno, SyscallError } from "./errno.ts";
import { libc } from "./libc.ts";

/** `_LINUX_CAPABILITY_VERSION_3`: two 32-bit words a set. */
const CAPABILITY_VERSION_3 = 0x20080522;
const EINVAL = 22;

function prctl(
  name: string,
  args: [number, number?, number?],
): number {
  const [option, arg2 = 0, arg3 = 0] = args;
  const result = libc().prctl(option, BigInt(arg2), BigInt(arg3), 0n, 0n);
  if (result < 0) {
    throw new SyscallError({ call: `prctl(${name})`, errno: lastErrno() });
  }
  return result;
}

/**
 * `setgroups(2)`: the supplementary groups.
 *
 * @example
 * ```ts
 * setGroups([65534]);
 * ```
 */
export function setGroups(groups: readonly number[]): void {
  const list = new Uint32Array(Math.max(groups.length, 1));
  list.set(groups);
  if (libc().setgroups(BigInt(groups.length), list) !== 0) {
    throw new SyscallError({ call: "setgroups", errno: lastErrno() });
  }
}

/**
 * `setresgid(2)` with all three ids the same.
 *
 * @example
 * ```ts
 * setGroupId(65534);
 * ```
 */
export function setGroupId(gid: number): void {
  if (libc().setresgid(gid, gid, gid) !== 0) {
    throw new SyscallError({ call: `setresgid(${gid})`, errno: lastErrno() });
  }
}

/**
 * `setresuid(2)` with all three ids the same.
 *
 * @example
 * ```ts
 * setUserId(65534);
 * ```
 */
export function setUserId(uid: number): void {
  if (libc().setresuid(uid, uid, uid) !== 0) {
    throw new SyscallError({ call: `setresuid(${uid})`, errno: lastErrno() });
  }
}

function capabilityHeader(): Uint32Array<ArrayBuffer> {
  return new Uint32Array([CAPABILITY_VERSION_3, 0]);
}

function numbersOf(low: number, high: number): number[] {
  const found: number[] = [];
  for (let bit = 0; bit < 64; bit++) {
    const word = bit < 32 ? low : high;
    if (((word >>> (bit % 32)) & 1) === 1) found.push(bit);
  }
  return found;
}

/**
 * The calling thread's permitted capabilities (`capget(2)`), by number.
 *
 * @example
 * ```ts
 * permittedCapabilities(); // [0, 1, 2, ...]
 * ```
 */
export function permittedCapabilities(): number[] {
  // Three words a half: effective, permitted, inheritable (low, then high).
  const data = new Uint32Array(6);
  if (libc().capget(capabilityHeader(), data) !== 0) {
    throw new SyscallError({ call: "capget", errno: lastErrno() });
  }
  return numbersOf(data[1], data[4]);
}

/**
 * `capset(2)`: the calling thread's effective, permitted and inheritable
 * sets all become `capabilities`.
 *
 * @example
 * ```ts
 * setCapabilities([10]); // CAP_NET_BIND_SERVICE only
 * ```
 */
export function setCapabilities(capabilities: readonly number[]): void {
  let low = 0;
  let high = 0;
  for (const capability of capabilities) {
    if (capability < 32) low |= 1 << capability;
    else high |= 1 << (capability - 32);
  }
  const data = new Uint32Array([low, low, low, high, high, high]);
  if (libc().capset(capabilityHeader(), data) !== 0) {
    throw new SyscallError({ call: "capset", errno: lastErrno() });
  }
}

/**
 * Cuts the calling thread's bounding set down to `kept`
 * (`PR_CAPBSET_DROP` for every other capability the kernel knows).
 *
 * @example
 * ```ts
 * limitBoundingSet([10]);
 * ```
 */
export function limitBoundingSet(kept: readonly number[]): void {
  for (let capability = 0; capability < 64; capability++) {
    const result = libc().prctl(
      PR.CAPBSET_READ,
      BigInt(capability),
      0n,
      0n,
      0n,
    );
    if (result < 0 && lastErrno() === EINVAL) return;
    if (result === 1 && !kept.includes(capability)) {
      prctl(`PR_CAPBSET_DROP, ${capability}`, [PR.CAPBSET_DROP, capability]);
    }
  }
}

/**
 * The ambient set becomes `capabilities` (each must be permitted and
 * inheritable already): what a user other than root keeps across `execve`.
 *
 * @example
 * ```ts
 * setAmbientCapabilities([10]);
 * ```
 */
export function setAmbientCapabilities(capabilities: readonly number[]): void {
  prctl("PR_CAP_AMBIENT_CLEAR_ALL", [PR.CAP_AMBIENT, PR.CAP_AMBIENT_CLEAR_ALL]);
  for (const capability of capabilities) {
    prctl(`PR_CAP_AMBIENT_RAISE, ${capability}`, [
      PR.CAP_AMBIENT,
      PR.CAP_AMBIENT_RAISE,
      capability,
    ]);
  }
}

/**
 * `PR_SET_KEEPCAPS`: whether the permitted set survives a change from uid 0
 * to another uid.
 *
 * @example
 * ```ts
 * setKeepCapabilities(true);
 * ```
 */
export function setKeepCapabilities(keep: boolean): void {
  prctl("PR_SET_KEEPCAPS", [PR.SET_KEEPCAPS, keep ? 1 : 0]);
}

/**
 * `PR_SET_NO_NEW_PRIVS`: from now on no `execve` grants privileges (setuid
 * bits and file capabilities are ignored); it cannot be undone.
 *
 * @example
 * ```ts
 * setNoNewPrivileges();
 * ```
 */
export function setNoNewPrivileges(): void {
  prctl("PR_SET_NO_NEW_PRIVS", [PR.SET_NO_NEW_PRIVS, 1]);
}

/**
 * `setsid(2)`: a new session and process group, with no controlling
 * terminal.
 *
 * @example
 * ```ts
 * newSession();
 * ```
 */
export function newSession(): void {
  if (libc().setsid() < 0) {
    throw new SyscallError({ call: "setsid", errno: lastErrno() });
  }
}
