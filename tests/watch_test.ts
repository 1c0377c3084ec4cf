/**
 * `propagation watch` as root, for real: against `findmnt --poll` in the
 * same namespace, its grouped events against `reach` and the kernel across
 * namespaces, the seeds' leak, exit statuses, namespaces coming and going,
 * no CPU while idle, and no inspector on SIGUSR1.
 *
 * Each scenario runs in a throw-away mount namespace and PID namespace with
 * its own /proc, so `--all-namespaces` sees only the namespaces the
 * scenario makes (not those of tests running beside it).
 */
import assert from "node:assert/strict";
import { MNTNS_SHELL_WORDS, ROOT_DIR } from "./under_test.ts";
import {
  expectCode,
  mntns,
  type Outcome,
  run,
  type RunOptions,
  shellQuote,
} from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { PROC_CONNECTOR } from "../ffi/constants.ts";
import { closeFd } from "../ffi/fds.ts";
import { systemCall } from "../ffi/libc.ts";
import { fixedBytes } from "../ffi/memory.ts";
import { openProcessEvents } from "../ffi/process_events.ts";

/**
 * Shell functions: `watch ARGS...` becomes `mntns propagation watch` with
 * SIGINT at its default (bash makes background jobs ignore it): start it
 * in the background (`watch ... & w=$!`, so `$w` is the watch) or in a
 * subshell; `watch_via CMD... -- ARGS...` runs it through CMD (`nice`,
 * `setpriv`) the same way; `ready PID`
 * waits until that process waits in poll(2) (after its first read);
 * `lines N FILE...` waits until each file has N lines (not counting
 * the start line of `--json` and warnings); `started FILE` until a watch with
 * `--json` or `--verbose` wrote its start line there (after its first
 * look: with `--all-namespaces` outside a PID namespace of its own, the
 * machine's activity may keep it from waiting in poll long); `nsof PID` prints
 * the inode of a process's mount namespace; `newns VAR MODE` starts
 * `unshare -m --propagation MODE sleep 30` and waits until it is in its
 * own namespace.
 */
const PRELUDE = `
mntns() { ${MNTNS_SHELL_WORDS} "$@"; }
watch_via() {
  local via=()
  while [ "$1" != -- ]; do via+=("$1"); shift; done
  shift
  exec "\${via[@]}" env --default-signal=INT ${MNTNS_SHELL_WORDS} propagation watch "$@"
}
watch() { watch_via -- "$@"; }
ready() {
  local i=0
  until grep -q poll_schedule_timeout /proc/$1/wchan 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 500 ] || { echo "pid $1 never waited in poll" >&2; exit 1; }
    sleep 0.02
  done
}
lines() {
  local n=$1 i=0 f; shift
  for f in "$@"; do
    until [ -f "$f" ] && [ "$(grep -vc -e '^{"time":"[^"]*","event":"watch"' -e '"event":"warning"' "$f")" -ge "$n" ]; do
      i=$((i + 1)); [ $i -lt 3000 ] || { echo "$f: fewer than $n lines:" >&2; cat "$f" >&2; exit 1; }
      sleep 0.02
    done
  done
}
started() {
  local i=0
  until grep -q -e '"event":"watch"' -e ' watching ' "$1" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 3000 ] || { echo "$1: no start line" >&2; exit 1; }
    sleep 0.02
  done
}
nsof() { readlink /proc/$1/ns/mnt | tr -dc 0-9; }
newns() {
  local pid_ tries_=0
  unshare -m --propagation "$2" sleep 30 & pid_=$!
  until [ "$(nsof $pid_)" != "$(nsof $$)" ]; do
    tries_=$((tries_ + 1)); [ $tries_ -lt 500 ] || { echo "newns: $pid_ stayed" >&2; exit 1; }
    sleep 0.01
  done
  eval "$1=$pid_"
}
`;

/**
 * Runs a bash script (`set -eu`, {@linkcode PRELUDE}) in a throw-away
 * mount namespace with a tmpfs at `$T` (see {@linkcode inScratchNamespace}).
 */
function inScratch(
  script: string,
  options: RunOptions = {},
): Promise<Outcome> {
  return inScratchNamespace(`${PRELUDE}${script}`, options);
}

/**
 * Runs a bash script (`set -eu`, {@linkcode PRELUDE}) in a new mount
 * namespace (private) and PID namespace with a fresh /proc, with a tmpfs
 * at `$T`; all of it ends with the script.
 */
async function inWatchScratch(script: string): Promise<Outcome> {
  const dir = Deno.makeTempDirSync({ prefix: "mntns-watch-" });
  try {
    return await run([
      "unshare",
      "-m",
      "--propagation",
      "private",
      "-fp",
      "--mount-proc",
      "bash",
      "-euc",
      `${PRELUDE}T=${shellQuote(dir)}; mount -t tmpfs scratch "$T"
${script}
true`,
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** One line of `watch --json`. */
interface WatchLine {
  time: string;
  event: string;
  change?: string;
  ns: number;
  pid: number | null;
  comm?: string | null;
  newNamespace?: boolean;
  late?: boolean;
  copiedFrom?: number | null;
  mountId: number;
  parent: number;
  target: string;
  source: string;
  fstype: string;
  options: string;
  superOptions: string;
  propagation: string;
  peer: number | null;
  master: number | null;
  before: Record<string, unknown> | null;
  copies: (WatchLine & { via: { as: string; group: number } | null })[];
}

/** The text between `@@NAME\n` and the next marker (or the end). */
function section(stdout: string, name: string): string {
  const start = stdout.indexOf(`@@${name}\n`);
  assert.ok(start >= 0, `no @@${name} in:\n${stdout}`);
  const rest = stdout.slice(start + name.length + 3);
  const end = rest.search(/^@@/m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The lines of `watch --json` after its start line. */
function jsonLines(text: string): WatchLine[] {
  const [start, ...lines] = text.split("\n").filter((line) => line !== "")
    .map((line) => JSON.parse(line));
  assert.equal(start?.event, "watch", text);
  return lines;
}

/** `@@name value` lines as a record. */
function values(stdout: string): Record<string, string> {
  return Object.fromEntries(
    [...stdout.matchAll(/^@@(\w+) (.*)$/gm)].map((m) => [m[1], m[2]]),
  );
}

rootTest(
  "watch: the same actions on the same targets, in the same order, as findmnt --poll",
  async () => {
    // Not under a fresh /proc: findmnt 2.38 pairs the two stacked proc
    // mounts of --mount-proc by source and target, and reports remounts.
    const outcome = expectCode(
      await inScratch(`
      cd "$T"; mkdir a b c d
      findmnt --poll -r -n -o ACTION,TARGET > f & fp=$!
      watch --json > w & w=$!
      ready $fp; ready $w
      mount -t tmpfs x a; lines 1 f w
      mount -t tmpfs y b; lines 2 f w
      mkdir b/s; mount -t tmpfs s b/s; lines 3 f w
      mount -o remount,ro a; lines 4 f w
      mount --move b c; lines 6 f w
      umount c/s; lines 7 f w
      mount --bind a d; lines 8 f w
      mount --make-shared d
      umount a; lines 9 f; lines 10 w
      umount -l c; lines 10 f; lines 11 w
      umount d; lines 11 f; lines 12 w
      kill $fp; kill -INT $w; wait $w && echo "@@exit 0" || echo "@@exit $?"
      echo "@@T $T"; echo @@findmnt; cat f; echo @@watch; cat w`),
      0,
    );
    const { T, exit } = values(outcome.stdout);
    assert.equal(exit, "0");
    const findmnt = section(outcome.stdout, "findmnt").trim().split("\n");
    const watched = jsonLines(section(outcome.stdout, "watch")).map((line) =>
      `${line.event} ${line.target}`
    );
    // findmnt never tells a propagation change; watch tells it with the
    // next event in the namespace (a read's unmounts come first).
    assert.deepEqual(
      watched.filter((line) => !line.startsWith("propagation ")),
      findmnt,
    );
    assert.deepEqual(watched.map((line) => line.replace(T, "")), [
      "mount /a",
      "mount /b",
      "mount /b/s",
      "remount /a",
      "move /c",
      "move /c/s",
      "umount /c/s",
      "mount /d",
      "umount /a",
      "propagation /d",
      "umount /c",
      "umount /d",
    ]);
  },
);

rootTest(
  "watch: a mount in A with a peer in B and a slave in C is one event, where reach said; a mount in the slave stays alone",
  async () => {
    const outcome = expectCode(
      await inWatchScratch(`
      cd "$T"; mount --make-shared "$T"; mkdir new conly
      newns B unchanged; newns C slave
      echo "@@ns $(nsof $$) $(nsof $B) $(nsof $C)"
      watch --all-namespaces --json "$T" > w & w=$!; ready $w
      echo @@reach; mntns propagation reach --all-namespaces --json "$T/new"
      mount -t tmpfs ev new; lines 1 w
      nsenter -t $C -m mount -t tmpfs conly "$T/conly"; lines 2 w
      umount new; lines 3 w
      kill -INT $w; wait $w && echo "@@exit 0" || echo "@@exit $?"
      echo "@@T $T"; echo @@watch; cat w`),
      0,
    );
    const { ns, exit, T } = values(outcome.stdout);
    assert.equal(exit, "0");
    const [a, b, c] = ns.split(" ").map(Number);
    const reach: {
      reaches: { ns: number; mountId: number; target: string }[];
    } = JSON.parse(section(outcome.stdout, "reach"));
    const [mounted, alone, unmounted] = jsonLines(
      section(outcome.stdout, "watch"),
    );
    assert.equal(mounted.event, "mount");
    assert.equal(mounted.ns, a);
    assert.equal(mounted.target, `${T}/new`);
    const places = (line: WatchLine): string[] =>
      [line, ...line.copies].map((spot) =>
        `${spot.ns} ${spot.parent} ${spot.target}`
      ).sort();
    assert.deepEqual(
      places(mounted),
      reach.reaches.map((place) =>
        `${place.ns} ${place.mountId} ${place.target}`
      ).sort(),
    );
    assert.deepEqual(
      mounted.copies.map((copy) => `${copy.ns} ${copy.via?.as}`).sort(),
      [`${b} peer`, `${c} slave`].sort(),
    );
    assert.ok(mounted.copies.every((copy) => copy.mountId > mounted.mountId));
    assert.equal(alone.event, "mount");
    assert.equal(alone.ns, c);
    assert.equal(alone.target, `${T}/conly`);
    assert.deepEqual(alone.copies, []);
    assert.equal(unmounted.event, "umount");
    assert.deepEqual(places(unmounted), places(mounted));
  },
);

rootTest(
  "watch --all-namespaces: the seeds' leak, run --propagation shared under an rshared /, arrives outside; the default shows nothing outside",
  async () => {
    const outcome = expectCode(
      await inWatchScratch(`
      mount --make-rshared /; mkdir "$T/x" "$T/y"
      echo "@@outer $(nsof $$)"
      watch --all-namespaces --json "$T" > "$T/w" & w=$!; ready $w
      mntns run --propagation shared -- sh -c "mount -t tmpfs leak $T/x; sleep 1"
      mntns run -- sh -c "mount -t tmpfs kept $T/y; sleep 1"
      sleep 0.2
      kill -INT $w; wait $w && echo "@@exit 0" || echo "@@exit $?"
      mountpoint -q "$T/y" && echo "@@y mounted" || echo "@@y empty"
      echo "@@T $T"; echo @@watch; cat "$T/w"`),
      0,
    );
    const { outer, exit, T, y } = values(outcome.stdout);
    assert.equal(exit, "0");
    assert.equal(y, "empty");
    const lines = jsonLines(section(outcome.stdout, "watch"));
    const leak = lines.find((line) =>
      line.event === "mount" && line.target === `${T}/x`
    );
    assert.ok(leak, section(outcome.stdout, "watch"));
    assert.notEqual(leak.ns, Number(outer));
    assert.equal(leak.fstype, "tmpfs");
    assert.equal(leak.source, "leak");
    assert.deepEqual(
      leak.copies.map((copy) => [copy.ns, copy.target, copy.via?.as]),
      [[Number(outer), `${T}/x`, "peer"]],
    );
    const outside = lines.filter((line) =>
      [line, ...(line.copies ?? [])].some((spot) =>
        spot.ns === Number(outer) && spot.target === `${T}/y`
      )
    );
    assert.deepEqual(outside, []);
    const notices = lines.filter((line) => line.event === "namespace");
    assert.ok(notices.some((line) => line.change === "appeared"));
    assert.ok(notices.some((line) => line.change === "gone"));
  },
);

rootTest(
  "watch --all-namespaces reports a namespace created and destroyed while it watches",
  async () => {
    const outcome = expectCode(
      await inWatchScratch(`
      watch --all-namespaces --json "$T" > "$T/w" & w=$!; ready $w
      unshare -m --propagation private sleep 1.3 & p=$!
      sleep 0.2; echo "@@inner $(nsof $p)"; wait $p
      lines 2 "$T/w"
      kill -INT $w; wait $w && echo "@@exit 0" || echo "@@exit $?"
      echo @@watch; cat "$T/w"`),
      0,
    );
    const { inner, exit } = values(outcome.stdout);
    assert.equal(exit, "0");
    const notices = jsonLines(section(outcome.stdout, "watch")).map((line) =>
      `${line.event} ${line.change} ${line.ns}`
    );
    assert.deepEqual(notices, [
      `namespace appeared ${inner}`,
      `namespace gone ${inner}`,
    ]);
  },
);

rootTest(
  "watch --pid N: that namespace's events; when its last process ends, it says so and ends",
  async () => {
    const outcome = expectCode(
      await inWatchScratch(`
      mkdir "$T/in"
      newns p private; echo "@@inner $(nsof $p)"
      watch --pid $p --json > "$T/w" & w=$!; ready $w
      nsenter -t $p -m mount -t tmpfs inner "$T/in"; lines 1 "$T/w"
      kill $p; wait $w && echo "@@exit 0" || echo "@@exit $?"
      echo "@@T $T"; echo @@watch; cat "$T/w"`),
      0,
    );
    const { inner, exit, T } = values(outcome.stdout);
    assert.equal(exit, "0");
    const lines = jsonLines(section(outcome.stdout, "watch")).map((line) =>
      `${line.event} ${line.change ?? line.target} ${line.ns}`
    );
    assert.deepEqual(lines, [
      `mount ${T}/in ${inner}`,
      `namespace gone ${inner}`,
    ]);
  },
);

rootTest(
  "watch: PATHs filter events, matched byte for byte",
  async () => {
    const outcome = expectCode(
      await inWatchScratch(`
      cd "$T"; odd=$(printf 'b\\377'); mkdir in out "$odd" in/deep
      watch --json "$T/in" "$T/$odd" > w & w=$!; ready $w
      mount -t tmpfs o out; mount -t tmpfs i in/deep; lines 1 w
      mount -t tmpfs odd "$odd"; lines 2 w
      mount -t tmpfs o2 out/; sleep 0.3
      kill -INT $w; wait $w && echo "@@exit 0" || echo "@@exit $?"
      echo "@@T $T"; echo @@watch; cat w`),
      0,
    );
    const { T, exit } = values(outcome.stdout);
    assert.equal(exit, "0");
    assert.deepEqual(
      jsonLines(section(outcome.stdout, "watch")).map((line) => line.target),
      [`${T}/in/deep`, `${T}/b\udcff`],
    );
  },
);

rootTest(
  "watch: --first-only ends with 0 after the first event; --timeout ends with 1 without one, 0 after one",
  async () => {
    const outcome = expectCode(
      await inWatchScratch(`
      cd "$T"; mkdir a b c
      watch --first-only "$T" > first & w=$!; ready $w
      mount -t tmpfs a a; wait $w && echo "@@first 0" || echo "@@first $?"
      mount -t tmpfs b b
      echo "@@firstlines $(wc -l < first)"
      start=$(date +%s%N)
      (watch --timeout 0.5 "$T") && echo "@@quiet 0" || echo "@@quiet $?"
      echo "@@quietms $(( ($(date +%s%N) - start) / 1000000 ))"
      watch --timeout 0.8 --json "$T" > timed & w=$!; ready $w
      mount -t tmpfs c c; wait $w && echo "@@timed 0" || echo "@@timed $?"
      echo "@@timedlines $(wc -l < timed)"`),
      0,
    );
    const got = values(outcome.stdout);
    assert.equal(got.first, "0");
    assert.equal(got.firstlines, "1");
    assert.equal(got.quiet, "1");
    assert.ok(Number(got.quietms) >= 500, got.quietms);
    assert.equal(got.timed, "0");
    // The start line and the event.
    assert.equal(got.timedlines, "2");
  },
);

rootTest(
  "watch: Ctrl-C and SIGTERM end it with 0; --signal-status gives 128+N",
  async () => {
    const outcome = expectCode(
      await inWatchScratch(`
      for case in "INT" "TERM" "INT --signal-status" "TERM --signal-status"; do
        set -- $case
        watch \${2-} "$T" & w=$!; ready $w
        kill -$1 $w; wait $w && echo "@@$1$# 0" || echo "@@$1$# $?"
      done`),
      0,
    );
    const got = values(outcome.stdout);
    assert.deepEqual([got.INT1, got.TERM1, got.INT2, got.TERM2], [
      "0",
      "0",
      "130",
      "143",
    ]);
  },
);

/**
 * Runs `count` trials of `maker` (a command that runs a shell in a new
 * mount namespace: `unshare -m`, `mntns run --`, `mntns isolate --`),
 * `batch` at a time (a few Deno starts at once load a 2-core machine), under `watch --all-namespaces --json`: each shell mounts a
 * tmpfs first thing, notes its namespace, and lives `life` seconds more.
 * With `storm`, another namespace makes that many mounts meanwhile
 * (tests/mount_storm.ts), found by the watch at its start.
 * Returns what each trial was reported as (null: missed).
 */
async function mountTrials(
  maker: string,
  options: { count: number; life: string; batch: number; storm?: number },
): Promise<{ missed: number[]; wrong: string[]; late: number }> {
  const storm = options.storm === undefined ? "" : `
      mkdir "$T/storm"
      ${shellQuote(Deno.execPath())} run -A ${
    shellQuote(`${ROOT_DIR}tests/mount_storm.ts`)
  } "$T" ${options.storm} & storm=$!
      i=0
      until [ -f "$T/storm-ready" ]; do
        i=$((i + 1)); [ $i -lt 3000 ] || { echo "no storm" >&2; exit 1; }
        sleep 0.02
      done`;
  const outcome = expectCode(
    await inScratch(`${storm}
      watch --all-namespaces --json "$T" > "$T/w" & w=$!; started "$T/w"
      pids=
      for i in $(seq 1 ${options.count}); do
        mkdir "$T/m$i"
        ${maker} sh -c "mount -t tmpfs src$i $T/m$i; readlink /proc/self/ns/mnt > $T/ns$i; sleep ${options.life}" & pids="$pids $!"
        if [ $((i % ${options.batch})) = 0 ]; then wait $pids; pids=; fi
      done
      [ -z "$pids" ] || wait $pids
      i=0
      until [ "$(grep -c '"event":"mount"' "$T/w")" -ge ${options.count} ]; do
        i=$((i + 1)); [ $i -lt 1200 ] || break
        sleep 0.05
      done
      kill -INT $w; wait $w && echo "@@exit 0" || echo "@@exit $?"
      ${storm === "" ? "" : "kill $storm; wait $storm || true"}
      for i in $(seq 1 ${options.count}); do echo "@@ns$i $(tr -dc 0-9 < "$T/ns$i")"; done
      echo "@@T $T"; echo @@watch; cat "$T/w"`),
    0,
  );
  const got = values(outcome.stdout);
  assert.equal(got.exit, "0");
  const lines = jsonLines(section(outcome.stdout, "watch"));
  const missed: number[] = [];
  const wrong: string[] = [];
  let late = 0;
  for (let trial = 1; trial <= options.count; trial++) {
    const target = `${got.T}/m${trial}`;
    const line = lines.find((line) =>
      line.event === "mount" && line.target === target
    );
    if (line === undefined) {
      missed.push(trial);
      continue;
    }
    if (line.late) late++;
    const seen = `${line.ns} ${line.source} ${line.copies.length}`;
    const expected = `${got[`ns${trial}`]} src${trial} 0`;
    if (seen !== expected) wrong.push(`${trial}: ${seen}, not ${expected}`);
  }
  return { missed, wrong, late };
}

for (
  const [name, maker, batch] of [
    ["unshare -m", "unshare -m", 4],
    ["mntns run", "mntns run --", 4],
    ["mntns isolate", "mntns isolate --", 4],
  ] as const
) {
  rootTest(
    `watch --all-namespaces: 100 namespaces made by ${name} that mount first thing and live 200 ms more — every mount reported, in its namespace`,
    async () => {
      const { missed, wrong } = await mountTrials(maker, {
        count: 100,
        life: "0.2",
        batch,
      });
      assert.deepEqual(missed, []);
      assert.deepEqual(wrong, []);
    },
  );
}

rootTest(
  "watch --all-namespaces: 100 namespaces made by unshare -m while another namespace makes 20,000 mounts — every mount reported: new namespaces are looked at before the tables that changed are read",
  async () => {
    const { missed, wrong } = await mountTrials("unshare -m", {
      count: 100,
      life: "0.2",
      batch: 4,
      storm: 20000,
    });
    assert.deepEqual(missed, []);
    assert.deepEqual(wrong, []);
  },
);

rootTest(
  "watch --all-namespaces: a namespace found after it mounted reports the mount late, copied from its creator's",
  async () => {
    // The watch is stopped while the namespace is made and mounts: when it
    // goes on, it finds the namespace with the mount already there.
    const outcome = expectCode(
      await inScratch(`
      mkdir "$T/a"
      echo "@@outer $(nsof $$)"
      watch --all-namespaces --json "$T" > "$T/w" & w=$!; started "$T/w"
      kill -STOP $w
      unshare -m sh -c "mount -t tmpfs early $T/a; readlink /proc/self/ns/mnt > $T/ns; exec sleep 60" & p=$!
      until [ -s "$T/ns" ]; do sleep 0.02; done
      kill -CONT $w; lines 2 "$T/w"
      kill $p; wait $p || :; lines 3 "$T/w"
      kill -INT $w; wait $w && echo "@@exit 0" || echo "@@exit $?"
      echo "@@inner $(tr -dc 0-9 < "$T/ns")"; echo "@@T $T"; echo @@watch; cat "$T/w"`),
      0,
    );
    const { outer, inner, T, exit } = values(outcome.stdout);
    assert.equal(exit, "0");
    // Stopped, it may have missed process events (the queue overflows on
    // a busy machine): that is a warning line, here left aside.
    const [appeared, mounted, gone] = jsonLines(
      section(outcome.stdout, "watch"),
    ).filter((line) => line.event !== "warning");
    assert.ok(gone, section(outcome.stdout, "watch"));
    assert.deepEqual(
      [appeared.event, appeared.change, appeared.ns, appeared.copiedFrom],
      ["namespace", "appeared", Number(inner), Number(outer)],
    );
    assert.deepEqual(
      [mounted.event, mounted.ns, mounted.target, mounted.source, mounted.late],
      ["mount", Number(inner), `${T}/a`, "early", true],
    );
    assert.deepEqual([gone.change, gone.ns], ["gone", Number(inner)]);
  },
);

rootTest(
  "watch --all-namespaces: an ext4 image loop-mounted in a private isolate is reported there alone; in a shared one, with its copy outside",
  async () => {
    const image = Deno.makeTempFileSync({ prefix: "mntns-watch-img-" });
    try {
      const outcome = expectCode(
        await inScratch(`
        mkdir "$T/content" "$T/private" "$T/shared"; echo hello > "$T/content/hello"
        mkfs.ext4 -q -d "$T/content" ${shellQuote(image)} 4M
        loop=$(losetup -f --show ${shellQuote(image)})
        trap 'kill $(jobs -p) 2>/dev/null || :; losetup -d $loop' EXIT
        mount --bind "$T/shared" "$T/shared"; mount --make-shared "$T/shared"
        echo "@@outer $(nsof $$)"; echo "@@loop $loop"
        watch --all-namespaces --json "$T" > "$T/w" & w=$!; started "$T/w"
        mntns isolate -- sh -c "mount -t ext4 $loop $T/private; readlink /proc/self/ns/mnt > $T/ns1; sleep 0.3"
        mntns isolate --propagation shared -- sh -c "mount -t ext4 $loop $T/shared; readlink /proc/self/ns/mnt > $T/ns2; sleep 0.3"
        umount "$T/shared/" 2>/dev/null || :
        sleep 0.3
        kill -INT $w; wait $w && echo "@@exit 0" || echo "@@exit $?"
        echo "@@ns1 $(tr -dc 0-9 < "$T/ns1")"; echo "@@ns2 $(tr -dc 0-9 < "$T/ns2")"
        echo "@@T $T"; echo @@watch; cat "$T/w"`),
        0,
      );
      const { outer, loop, ns1, ns2, T, exit } = values(outcome.stdout);
      assert.equal(exit, "0");
      const lines = jsonLines(section(outcome.stdout, "watch"));
      const imageAt = (target: string): WatchLine | undefined =>
        lines.find((line) =>
          line.event === "mount" && line.fstype === "ext4" &&
          [line, ...line.copies].some((spot) => spot.target === target)
        );
      const alone = imageAt(`${T}/private`);
      assert.ok(alone, section(outcome.stdout, "watch"));
      assert.deepEqual(
        [alone.ns, alone.source, alone.copies],
        [Number(ns1), loop, []],
      );
      const shared = imageAt(`${T}/shared`);
      assert.ok(shared, section(outcome.stdout, "watch"));
      assert.deepEqual(
        [shared, ...shared.copies].map((spot) => `${spot.ns} ${spot.source}`)
          .sort(),
        [`${ns2} ${loop}`, `${outer} ${loop}`].sort(),
      );
    } finally {
      Deno.removeSync(image);
    }
  },
);

/**
 * What a process events socket opened as on kernel `release` hears while
 * `true` runs: the kinds of event (`what`) of every message, and the pids
 * that called exec. The messages are queued as the events happen, so they
 * are all there once `true` was waited for.
 */
async function eventsWhileTrueRuns(
  release: string,
): Promise<{ whats: Set<number>; execs: number[]; child: number }> {
  const fd = openProcessEvents(release);
  try {
    const child = new Deno.Command("true").spawn();
    await child.status;
    // struct nlmsghdr (16 bytes), struct cn_msg (20), then proc_event:
    // what u32, cpu u32, timestamp u64, and an exec's pid and tgid.
    const what = 36;
    const tgid = what + 16 + 4;
    const buffer = fixedBytes(4096);
    const view = new DataView(buffer.buffer);
    const heard = { whats: new Set<number>(), execs: [] as number[] };
    while (systemCall("read", fd, buffer, buffer.length) > 0) {
      heard.whats.add(view.getUint32(what, true));
      if (view.getUint32(what, true) === PROC_CONNECTOR.EVENT_EXEC) {
        heard.execs.push(view.getUint32(tgid, true));
      }
    }
    return { ...heard, child: child.pid };
  } finally {
    closeFd(fd);
  }
}

rootTest(
  "watch --all-namespaces hears only execs: from Linux 6.6 the kernel filters its process events connector, so forks and exits wake no watcher",
  async () => {
    const filtered = await eventsWhileTrueRuns(Deno.osRelease());
    assert.ok(filtered.execs.includes(filtered.child), `${filtered.execs}`);
    assert.deepEqual([...filtered.whats], [PROC_CONNECTOR.EVENT_EXEC]);
    // Subscribed as before 6.6 (no filter), the same socket hears the
    // child's fork and exit too.
    const everything = await eventsWhileTrueRuns("6.5.0");
    assert.ok(everything.execs.includes(everything.child));
    const FORK = 0x1;
    const EXIT = 0x80000000;
    assert.ok(
      everything.whats.has(FORK) && everything.whats.has(EXIT),
      `${[...everything.whats]}`,
    );
  },
);

rootTest(
  "watch --all-namespaces with 200 other namespaces: it waits in poll with no timeout, and uses CPU time only when woken",
  async () => {
    // Outside a PID namespace of its own, the machine's other processes
    // wake it as they exec and mount: it is idle when they are; what is
    // asserted is that nothing else wakes it (no timer) and that a wake
    // costs less than a clock tick.
    const outcome = expectCode(
      await inScratch(
        `
      ticks() { awk '{ print $14 + $15 }' /proc/$1/stat; }
      wakes() { awk '/^voluntary_ctxt_switches/ { print $2 }' /proc/$1/status; }
      sleeps=
      for i in $(seq 1 200); do unshare -m sleep 60 & sleeps="$sleeps $!"; done
      watch --all-namespaces --verbose "$T" > "$T/w" & w=$!; started "$T/w"
      i=0
      until grep -q poll_schedule_timeout /proc/$w/wchan && call=$(cat /proc/$w/syscall) && [ "\${call%% *}" = "$PPOLL" ]; do
        i=$((i + 1)); [ $i -lt 3000 ] || { echo "pid $w never waited in ppoll" >&2; exit 1; }
        sleep 0.02
      done
      echo "@@ppoll $call"
      t=$(ticks $w); c=$(wakes $w); sleep 5
      echo "@@idle $(( $(ticks $w) - t )) $(( $(wakes $w) - c ))"
      echo "@@fds $(ls /proc/$w/fd | wc -l)"
      kill -INT $w; wait $w || :; kill $sleeps
      echo @@watch; cat "$T/w"`,
        {
          env: { PPOLL: Deno.build.arch === "aarch64" ? "73" : "271" },
        },
      ),
      0,
    );
    const got = values(outcome.stdout);
    assert.match(
      section(outcome.stdout, "watch"),
      /watching \d+ namespaces: .*new namespaces found as processes exec/,
    );
    // ppoll(fds, nfds, timeout, sigmask, size): no timeout is NULL.
    assert.equal(got.ppoll.split(" ")[3], "0x0", got.ppoll);
    // A mountinfo and a pidfd a namespace.
    assert.ok(Number(got.fds) > 400, got.fds);
    const [ticks, wakes] = got.idle.split(" ").map(Number);
    assert.ok(ticks <= wakes, `${ticks} ticks of CPU for ${wakes} wakes`);
  },
);

rootTest(
  "watch: an idle watch uses no CPU time; with --all-namespaces in a PID namespace (no process events), the look for new namespaces once a second only",
  async () => {
    const outcome = expectCode(
      await inWatchScratch(`
      ticks() { awk '{ print $14 + $15 }' /proc/$1/stat; }
      runtime() { cat /proc/$1/task/*/schedstat | awk '{ ns += $1 } END { print ns }'; }
      for scope in one all; do
        if [ $scope = one ]; then watch "$T" & w=$!; else watch --all-namespaces "$T" & w=$!; fi
        ready $w; sleep 0.2
        t=$(ticks $w); r=$(runtime $w); sleep 2
        echo "@@$scope $(( $(ticks $w) - t )) $(( $(runtime $w) - r ))"
        kill -INT $w; wait $w
      done`),
      0,
    );
    const got = values(outcome.stdout);
    // utime + stime, and the time every thread ran, in nanoseconds.
    assert.equal(got.one, "0 0");
    const [, nanos] = got.all.split(" ").map(Number);
    assert.ok(nanos < 20_000_000, `${nanos} ns of CPU in 2 s`);
  },
);

rootTest(
  "watch as root reads at nice -20 (its reading thread; its other threads as started); under nice(1) it keeps the caller's value; without CAP_SYS_NICE it stays at 0 and still watches",
  async () => {
    const outcome = expectCode(
      await inWatchScratch(`
      # Field 19 of stat is the nice value (of the thread group leader,
      # the thread that reads); comm may hold spaces, so cut after it.
      nice_of() { sed 's/.*) //' "/proc/$1/$2" | cut -d' ' -f17; }
      for how in root nice5 nocap; do
        case $how in
          root) watch --first-only "$T" & w=$!;;
          nice5) watch_via nice -n 5 -- --first-only "$T" & w=$!;;
          nocap) watch_via setpriv --inh-caps=-sys_nice --bounding-set=-sys_nice -- --first-only "$T" & w=$!;;
        esac
        ready $w
        main=$(nice_of $w stat)
        others=$(for t in /proc/$w/task/*; do [ "\${t##*/}" = $w ] || nice_of $w "task/\${t##*/}/stat"; done | sort -u | tr '\\n' ' ')
        mkdir -p "$T/$how"; mount -t tmpfs x "$T/$how"
        wait $w && e=0 || e=$?
        echo "@@$how $main | $others| $e"
      done`),
      0,
    );
    // Each: the reading thread | the other threads | the exit status
    // after the mount (--first-only).
    assert.deepEqual(values(outcome.stdout), {
      root: "-20 | 0 | 0",
      nice5: "5 | 5 | 0",
      nocap: "0 | 0 | 0",
    });
  },
);

rootTest(
  "watch: SIGUSR1 a second after start opens no listener; the signals are blocked from its start",
  async () => {
    const outcome = expectCode(
      await inWatchScratch(`
      watch "$T" & w=$!; ready $w
      echo "@@blocked $(awk '/^SigBlk/ { print $2 }' /proc/$w/status)"
      sleep 1.1; kill -USR1 $w; sleep 0.5
      echo "@@listeners $(ss -Hltnp | grep -c -e deno -e :9229 || :)"
      wait $w && echo "@@exit 0" || echo "@@exit $?"`),
      0,
    );
    const got = values(outcome.stdout);
    assert.equal(got.listeners, "0");
    assert.equal(got.exit, "0");
    const blocked = BigInt(`0x${got.blocked}`);
    for (const signal of [1, 2, 3, 10, 12, 14, 15]) {
      assert.equal(
        (blocked >> BigInt(signal - 1)) & 1n,
        1n,
        `signal ${signal}`,
      );
    }
  },
);

Deno.test("watch: wrong words are usage errors, a missing PATH a failure", async () => {
  const cases: [string[], number, RegExp][] = [
    [
      ["--pid", "1", "--all-namespaces"],
      2,
      /--pid and --all-namespaces exclude each other/,
    ],
    [
      ["--timeout", "0"],
      2,
      /--timeout takes a number of seconds over 0, not '0'/,
    ],
    [["--timeout", "soon"], 2, /--timeout takes a number of seconds/],
    [[""], 2, /PATH is empty/],
    [["--pid", "x"], 2, /--pid takes a positive integer/],
    [
      ["/nonexistent/watch/path"],
      1,
      /\/nonexistent\/watch\/path: no such file or directory/,
    ],
  ];
  for (const [words, code, message] of cases) {
    const outcome = expectCode(
      await mntns(["propagation", "watch", ...words]),
      code,
    );
    assert.match(outcome.stderr, message);
  }
  const help = expectCode(await mntns(["propagation", "watch", "--help"]), 0);
  assert.match(help.stdout, /^Usage: mntns propagation watch \[PATH\.\.\.\]/);
});
