/**
 * Throw-away outer mount namespaces for tests, the root requirement (a root
 * test checks this machine's mount table is unchanged after it), and shell
 * functions that build topologies across namespaces.
 *
 * @module
 */

import { singleQuoted as shellQuote } from "../lib/plan/shell_quote.ts";
import { type Outcome, run, type RunOptions } from "./processes.ts";
import { MNTNS_FUNCTION } from "./under_test.ts";

/**
 * Runs a bash script inside a throw-away outer mount namespace
 * (`unshare -m --propagation private`) with a fresh tmpfs mounted at `$T`.
 * Nothing it mounts can reach this machine's mounts, and all of it goes away
 * when the script's last process exits. The script ends with `true` so bash
 * does not exec its last command and the namespace lives until the end; its
 * background jobs are killed when it exits, however it exits.
 *
 * @example
 * ```ts
 * const { stdout } = await inScratchNamespace("mount --make-shared $T; findmnt -no PROPAGATION $T");
 * ```
 */
export async function inScratchNamespace(
  script: string,
  options: RunOptions = {},
): Promise<Outcome> {
  const dir = Deno.makeTempDirSync({ prefix: "mntns-test-" });
  try {
    return await run(
      [
        "unshare",
        "-m",
        "--propagation",
        "private",
        "bash",
        "-euc",
        `${MNTNS_FUNCTION}trap 'kill $(jobs -p) 2>/dev/null || :' EXIT
T=${shellQuote(dir)}; mount -t tmpfs scratch "$T"; ${script}\ntrue`,
      ],
      options,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/**
 * Whether tests that need root run. They need root; under `CI=true` they
 * always run (and fail when not root), never skip.
 */
export const NEEDS_ROOT_IGNORED: boolean = Deno.uid() !== 0 &&
  Deno.env.get("CI") !== "true";

/**
 * A test that needs root (mounts, namespaces), checking that this
 * machine's own mount table is the same after it as before.
 *
 * @example
 * ```ts
 * import { expectCode, mntns } from "./processes.ts";
 *
 * rootTest("shows mounts", async () => {
 *   expectCode(await mntns(["propagation", "show"]), 0);
 * });
 * ```
 */
export function rootTest(name: string, fn: () => Promise<void>): void {
  Deno.test({
    name: `${name} [root]`,
    ignore: NEEDS_ROOT_IGNORED,
    fn: async () => {
      const before = Deno.readTextFileSync("/proc/self/mountinfo");
      await fn();
      const after = Deno.readTextFileSync("/proc/self/mountinfo");
      if (before !== after) {
        throw new Error(
          "this machine's own mount table changed during the test",
        );
      }
    },
  });
}

/**
 * Shell functions for scripts that build topologies across namespaces:
 * `inns P cmd...` runs a command in the mount namespace of pid P (0: this
 * one); `step P cmd...` does too and, when the command fails, prints
 * `@@setup-failed LINE`, its stderr and `@@end` on stderr and ends the
 * script (LINE counts from the line after the one that sets `setup_line`
 * to `$LINENO`, else from the script's first line); `ifmount P POINT
 * cmd...` is `step P cmd...` when POINT is a mount point in P's namespace
 * and nothing otherwise; `newns VAR P MODE` starts `unshare -m --propagation
 * MODE sleep` from P's namespace, waits until it is in its own namespace,
 * and sets VAR to its pid; `snap` prints `@ns mnt:[N] PID` and the mountinfo
 * of every namespace made so far.
 */
export const NAMESPACE_FUNCTIONS = `
inns() { local p=$1; shift; if [ "$p" = 0 ]; then "$@"; else nsenter -t "$p" -m -- "$@"; fi; }
setup_line=0
step() {
  local err
  if ! err=$(inns "$@" 2>&1 >/dev/null); then
    printf '@@setup-failed %d\n%s\n@@end\n' "$((BASH_LINENO[-1] - setup_line))" "$err" >&2
    exit 1
  fi
}
ifmount() { local p=$1 point=$2; shift 2; if inns "$p" mountpoint -q "$point"; then step "$p" "$@"; fi; }
pids=$$; known=" $(readlink /proc/$$/ns/mnt) "
newns() {
  local var=$1 p n tries=0
  if [ "$2" = 0 ]; then set -- unshare -m --propagation "$3" sleep 1000
  else set -- nsenter -t "$2" -m -- unshare -m --propagation "$3" sleep 1000; fi
  { exec "$@"; } & p=$!
  while n=$(readlink /proc/$p/ns/mnt) && case "$known" in *" $n "*) true;; *) false;; esac; do
    tries=$((tries + 1)); [ $tries -lt 2000 ] || { echo "newns: pid $p never left its namespace" >&2; exit 1; }
    sleep 0.005
  done
  known="$known$n "; pids="$pids $p"; eval "$var=$p"
}
snap() { for p in $pids; do echo "@ns $(readlink /proc/$p/ns/mnt) $p"; cat /proc/$p/mountinfo; done; }
`;
