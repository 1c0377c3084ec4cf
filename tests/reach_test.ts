/**
 * `propagation reach` against the kernel: build a topology, ask reach, mount
 * at the path, and compare the prediction with where the mount appeared in
 * every namespace.
 */
import assert from "node:assert/strict";
import { expectCode, mntns } from "./processes.ts";
import { rootTest } from "./namespaces.ts";
import {
  observeReach,
  type ReachObservation,
  SetupFailure,
} from "./reach_oracle.ts";

/** Observes one event and checks prediction equals observation. */
async function agree(
  options: { setup: string; ns?: string; path: string; places: number },
): Promise<ReachObservation> {
  const seen = await observeReach({
    setup: `cd "$T"\n${options.setup}`,
    ns: options.ns ?? "0",
    path: options.path,
  });
  assert.deepEqual(seen.observed, seen.predicted, seen.script);
  assert.equal(seen.observed.length, options.places, seen.script);
  return seen;
}

function targets(seen: ReachObservation): string[] {
  const scratch = seen.prediction.mount.target.split("/").slice(0, 3).join("/");
  return seen.prediction.reaches.map((place) =>
    place.target.slice(scratch.length)
  ).sort();
}

function reasons(seen: ReachObservation): string[] {
  return seen.prediction.misses.map((miss) => miss.reason);
}

rootTest("reach: peers in one namespace", async () => {
  const seen = await agree({
    setup: `mkdir x z; mount -t tmpfs hx x; mount --make-shared x
      mount --bind x z`,
    path: "$T/x/foo",
    places: 2,
  });
  assert.deepEqual(targets(seen), ["/x/foo", "/z/foo"]);
  assert.ok(seen.prediction.path.endsWith("/x/foo"));
  assert.ok(seen.prediction.mount.target.endsWith("/x"));
});

rootTest("reach: peers across two and three namespaces", async () => {
  const setup = `mkdir x; mount -t tmpfs hx x; mount --make-shared x
    newns p1 0 unchanged; newns p2 $p1 unchanged`;
  const seen = await agree({ setup, path: "$T/x/foo", places: 3 });
  assert.equal(new Set(seen.prediction.reaches.map((p) => p.ns)).size, 3);
  await agree({ setup, ns: "$p2", path: "$T/x", places: 3 });
  await agree({
    setup: `${setup}; step $p1 mount --make-private $T/x`,
    ns: "$p2",
    path: "$T/x/a",
    places: 2,
  });
});

rootTest("reach: a slave receives and never sends", async () => {
  const setup = `mkdir x; mount -t tmpfs hx x; mount --make-shared x
    newns p1 0 unchanged; step $p1 mount --make-slave $T/x`;
  await agree({ setup, path: "$T/x/foo", places: 2 });
  const back = await agree({ setup, ns: "$p1", path: "$T/x/foo", places: 1 });
  assert.match(
    reasons(back).join("\n"),
    /\/x is a slave of group \d+ — receives, never sends/,
  );
  await agree({
    setup: `mkdir x; mount -t tmpfs hx x; mount --make-shared x
      newns p1 0 slave`,
    path: "$T/x",
    places: 2,
  });
});

rootTest("reach: chains of shared and slave", async () => {
  const setup = `mkdir x y w v; mount -t tmpfs hx x; mount --make-shared x
    mount --bind x y; mount --make-slave y; mount --make-shared y
    mount --bind y w; mount --bind w v; mount --make-slave v
    newns p1 0 unchanged`;
  const down = await agree({ setup, path: "$T/x/a", places: 8 });
  assert.deepEqual(targets(down), [
    "/v/a",
    "/v/a",
    "/w/a",
    "/w/a",
    "/x/a",
    "/x/a",
    "/y/a",
    "/y/a",
  ]);
  const middle = await agree({ setup, path: "$T/w/a", places: 6 });
  assert.ok(!targets(middle).includes("/x/a"));
  await agree({ setup, ns: "$p1", path: "$T/v/a", places: 1 });
});

rootTest("reach: binds of subdirectories get only what they hold", async () => {
  const setup = `mkdir x z; mount -t tmpfs hx x; mount --make-shared x
    mkdir -p x/a/deep x/b; mount --bind x/a z; newns p1 0 unchanged`;
  const inside = await agree({ setup, path: "$T/x/a/deep", places: 4 });
  assert.deepEqual(targets(inside), [
    "/x/a/deep",
    "/x/a/deep",
    "/z/deep",
    "/z/deep",
  ]);
  const outside = await agree({ setup, path: "$T/x/b", places: 2 });
  assert.match(
    reasons(outside).join("\n"),
    /its root \/a does not contain \/b/,
  );
  await agree({ setup, ns: "$p1", path: "$T/z", places: 4 });
});

rootTest("reach: unbindable and private mounts receive nothing", async () => {
  const setup = `mkdir x y u; mount -t tmpfs hx x; mount --make-shared x
    mount --bind x y; mount --bind x u; mount --make-private y
    mount --make-unbindable u; newns p1 0 unchanged`;
  const seen = await agree({ setup, path: "$T/x/a", places: 2 });
  // The new namespace's copy of an unbindable mount is private (6.18).
  assert.deepEqual([...new Set(reasons(seen))].sort(), [
    "private",
    "unbindable",
  ]);
  const fromPrivate = await agree({ setup, path: "$T/y/a", places: 1 });
  assert.match(
    reasons(fromPrivate).join("\n"),
    /\/y is private — sends nothing/,
  );
  await agree({ setup, ns: "$p1", path: "$T/u/a", places: 1 });
});

rootTest("a setup step that fails fails with its line and stderr", async () => {
  const setup = `mkdir $T/x
    ifmount 0 $T/x umount -l $T/x
    step 0 umount -l $T/x`;
  await assert.rejects(
    observeReach({ setup, ns: "0", path: "$T/x" }),
    (error: unknown) => {
      assert.ok(error instanceof SetupFailure, String(error));
      assert.equal(error.details.line, 3);
      assert.equal(error.details.text, "step 0 umount -l $T/x");
      assert.match(error.details.stderr, /umount: .*\/x: not mounted/);
      return true;
    },
  );
});

rootTest(
  "reach prints tables: where it goes and where it does not",
  async () => {
    const outcome = expectCode(
      await mntns(["propagation", "reach", "/proc"]),
      0,
    );
    assert.match(
      outcome.stdout,
      /^a mount at \/proc \(on mount \d+ at \/proc, ns \d+\) appears at:\n +NS +PID +MOUNT +TARGET\n\d+ +\d+ +\d+ +\/proc\n/,
    );
  },
);

Deno.test("reach: usage contract", async () => {
  const help = expectCode(await mntns(["propagation", "reach", "--help"]), 0);
  assert.match(help.stdout, /^Usage: mntns propagation reach PATH/);
  for (
    const [args, first] of [
      [["--bogus"], "mntns: unrecognized option '--bogus'"],
      [[], "mntns: expected PATH"],
      [["/a", "/b"], "mntns: expected one PATH"],
      [["--pid", "x", "/"], "mntns: --pid takes a positive integer, not 'x'"],
    ] as const
  ) {
    const outcome = expectCode(
      await mntns(["propagation", "reach", ...args]),
      2,
    );
    assert.equal(outcome.stdout, "");
    assert.deepEqual(outcome.stderr.trimEnd().split("\n"), [
      first,
      "Try 'mntns propagation reach --help' for more information.",
    ]);
  }
});
