/**
 * The calls that change who a process is and what it may do: groups, user
 * and group ids, capabilities (bounding, effective, permitted, inheritable,
 * ambient), no_new_privs and the session.
 *
 * Every one of these belongs to the calling thread: capabilities,
 * no_new_privs and keep-caps always, and the groups and ids too as the raw
 * system calls make them (glibc's `setgroups`, `setresgid` and `setresuid`
 * would signal every thread to change all of them: its "setxid"). That is
 * right only in a process that calls `execve` on the same thread right
 * after, and that is the one caller: lib/exec/privileges.ts
 * `dropPrivileges`, run on the main thread by the run stage
 * (lib/exec/stages/run_stage.ts) and by `run --init`'s exec stage
 * (lib/exec/stages/exec_stage.ts), each of which then only sets the parent-death
 * signal, closes and writes its own descriptors, and execs the command
 * (lib/exec/exec_command.ts; the kernel checks the exec's permissions with
 * that thread's credentials). `execve` ends the other threads (Deno's own,
 * which run none of mntns's code) and gives the new program the calling
 * thread's credentials; when every exec fails, the process exits.
 *
 * @module
 */

import { PR } from "./constants.ts";
import { E, lastErrno, unwrap } from "./errno.ts";
import { systemCall } from "./libc.ts";

/** `_LINUX_CAPABILITY_VERSION_3`: two 32-bit words a set. */
const CAPABILITY_VERSION_3 = 0x20080522;

function prctl(
  name: string,
  args: [number, number?, number?],
): void {
  const [option, arg2 = 0, arg3 = 0] = args;
  unwrap(systemCall("prctl", option, arg2, arg3, 0, 0), {
    call: `prctl(${name})`,
  });
}

/**
 * The calling thread's supplementary groups, group id and user id
 * (`setgroups(2)`, then `setresgid(2)` and `setresuid(2)` with all three
 * ids the same), with `PR_SET_KEEPCAPS` on meanwhile so that the permitted
 * set survives a change from uid 0 (see the module's note: only before an
 * `execve`).
 *
 * @example
 * ```ts
 * setCredentials({ uid: 65534, gid: 65534, groups: [65534] });
 * ```
 */
export function setCredentials(
  credentials: { uid: number; gid: number; groups: readonly number[] },
): void {
  const { uid, gid, groups } = credentials;
  const list = new Uint32Array(
    new ArrayBuffer(Math.max(groups.length, 1) * 4),
  );
  list.set(groups);
  prctl("PR_SET_KEEPCAPS", [PR.SET_KEEPCAPS, 1]);
  unwrap(systemCall("setgroups", groups.length, list), { call: "setgroups" });
  unwrap(systemCall("setresgid", gid, gid, gid), { call: `setresgid(${gid})` });
  unwrap(systemCall("setresuid", uid, uid, uid), { call: `setresuid(${uid})` });
  prctl("PR_SET_KEEPCAPS", [PR.SET_KEEPCAPS, 0]);
}

/** A capability set's data: three words a half (effective, permitted, inheritable). */
function capabilityData(words: readonly number[]): Uint32Array<ArrayBuffer> {
  const data = new Uint32Array(new ArrayBuffer(24));
  data.set(words);
  return data;
}

function capabilityHeader(): Uint32Array<ArrayBuffer> {
  const header = new Uint32Array(new ArrayBuffer(8));
  header[0] = CAPABILITY_VERSION_3;
  return header;
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
  const data = capabilityData([]);
  unwrap(systemCall("capget", capabilityHeader(), data), { call: "capget" });
  return numbersOf(data[1], data[4]);
}

/**
 * `capset(2)`: the calling thread's effective, permitted and inheritable
 * sets all become `capabilities`; then its ambient set does too, what a
 * user other than root keeps across `execve`.
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
  const data = capabilityData([low, low, low, high, high, high]);
  unwrap(systemCall("capset", capabilityHeader(), data), { call: "capset" });
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
    const result = systemCall("prctl", PR.CAPBSET_READ, capability, 0, 0, 0);
    if (result < 0 && lastErrno() === E.INVAL) return;
    if (result === 1 && !kept.includes(capability)) {
      prctl(`PR_CAPBSET_DROP, ${capability}`, [PR.CAPBSET_DROP, capability]);
    }
  }
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
  unwrap(systemCall("setsid"), { call: "setsid" });
}
