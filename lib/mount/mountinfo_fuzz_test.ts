/**
 * Fuzzing the mountinfo parser: real lines, mutated (fields deleted,
 * duplicated, swapped; spaces, escapes, separators and huge numbers put in;
 * parents pointed at missing ids, at each other and at themselves; ids
 * repeated; bytes that are not UTF-8), then parsed. Each text is either
 * parsed, and then the tree holds exactly the mounts the list holds, or
 * refused with one line naming the first bad line. Every text goes through
 * the scanner (lib/mount/mount_table.ts), which cuts plain lines on their
 * bytes, and every line through the line parser (lib/mount/mountinfo.ts):
 * they must refuse alike, and give the same mounts, numbers and field
 * bytes.
 *
 * `MOUNTINFO_FUZZ_SEED=N` starts at another seed, `MOUNTINFO_FUZZ_CASES=N`
 * runs N texts; a failure prints the seed that reproduces it.
 */
import assert from "node:assert/strict";
import { prng } from "../../tests/prng.ts";
import { decodeBytes, encodeBytes } from "../bytes.ts";
import { topLevelWarning } from "./tree.ts";
import { mountTree } from "../../tests/tree_text.ts";
import { type MountField, MountTable, parseMountinfo } from "./mount_table.ts";
import { type Mount, MountinfoError, parseLine } from "./mountinfo.ts";

const BASE_SEED = Number(Deno.env.get("MOUNTINFO_FUZZ_SEED") ?? "20261127");
const CASES = Number(Deno.env.get("MOUNTINFO_FUZZ_CASES") ?? "4000");

/** Lines as kernels write them, from machines, containers and man pages. */
const REAL_LINES = [
  "1 0 252:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro",
  "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw",
  "23 1 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:6 - sysfs sysfs rw",
  "24 1 0:5 / /dev rw,nosuid,relatime shared:2 - devtmpfs udev rw,size=4010132k,mode=755",
  "25 24 0:23 / /dev/pts rw,nosuid,noexec,relatime shared:3 - devpts devpts rw,gid=5,mode=620",
  "30 1 0:26 / /run rw,nosuid,nodev,noexec,relatime shared:7 - tmpfs tmpfs rw,size=805008k",
  "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue",
  "40 30 0:4 net:[4026532281] /run/netns/x rw shared:9 - nsfs nsfs rw",
  "41 1 0:39 / /mnt/my\\040disk rw,relatime master:12 propagate_from:3 - fuse.sshfs user@host:/a\\134b rw,user_id=0",
  "42 1 0:40 /sub /media/x rw unbindable - tmpfs  rw",
  "43 1 0:41 / /srv rw shared:10 master:4 - xfs /dev/sdb1 rw,attr2",
  "44 41 0:42 / /mnt/ünï€ rw - tmpfs t rw",
  "45 1 0:43 / /opt rw shared:11 future:3 flag - btrfs /dev/sdc rw,subvol=/opt",
  "46 43 0:44 / /srv/a\\011b\\012c rw shared:10 - tmpfs x\\040y rw",
];

const HUGE = [
  "9007199254740992",
  "9007199254740993",
  "18446744073709551615",
  "9".repeat(400),
  "-1",
  "1e3",
  "0x10",
];
const INSERTS = [
  " ",
  "  ",
  "\\040",
  "\\134",
  "\\",
  "\\0",
  "\\999",
  " - ",
  "-",
  ":",
  "shared:",
  "master:x",
  " unbindable",
  " propagate_from:7",
  "\t",
  "\r",
  "\n",
  "\u00a0",
];

/** One mutated mountinfo text, as bytes decoded the way mntns reads them. */
function generate(seed: number): string {
  const random = prng(seed);
  const below = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)];
  const lines = Array.from({ length: 1 + below(12) }, () => pick(REAL_LINES));
  const ids = (): string[] => lines.map((line) => line.split(" ")[0]);
  const withField = (at: number, field: number, value: string): void => {
    const fields = lines[at].split(" ");
    fields[field] = value;
    lines[at] = fields.join(" ");
  };
  const mutations = 1 + below(5);
  for (let step = 0; step < mutations && lines.length > 0; step++) {
    const at = below(lines.length);
    const fields = lines[at].split(" ");
    const field = below(fields.length);
    switch (below(14)) {
      case 0:
        lines.splice(at, 1);
        break;
      case 1:
        lines.splice(at, 0, lines[at]);
        break;
      case 2: {
        const other = below(lines.length);
        [lines[at], lines[other]] = [lines[other], lines[at]];
        break;
      }
      case 3: // a parent that exists, is missing, or is the mount itself
        withField(at, 1, pick([...ids(), "999", fields[0]]));
        break;
      case 4: { // two mounts each other's parent
        const other = below(lines.length);
        withField(at, 1, ids()[other]);
        withField(other, 1, ids()[at]);
        break;
      }
      case 5: // a repeated id
        withField(at, 0, pick(ids()));
        break;
      case 6:
        fields.splice(field, 1);
        lines[at] = fields.join(" ");
        break;
      case 7:
        fields.splice(field, 0, fields[field]);
        lines[at] = fields.join(" ");
        break;
      case 8: {
        const other = below(fields.length);
        [fields[field], fields[other]] = [fields[other], fields[field]];
        lines[at] = fields.join(" ");
        break;
      }
      case 9: { // a huge or malformed number in a number's place
        const number = pick(HUGE);
        const place = pick(["id", "parent", "major", "minor", "optional"]);
        if (place === "id") withField(at, 0, number);
        else if (place === "parent") withField(at, 1, number);
        else if (place === "major") withField(at, 2, `${number}:0`);
        else if (place === "minor") withField(at, 2, `0:${number}`);
        else {
          fields.splice(
            6,
            0,
            `${pick(["shared", "master", "propagate_from"])}:${number}`,
          );
          lines[at] = fields.join(" ");
        }
        break;
      }
      case 10:
      case 11: {
        const offset = below(lines[at].length + 1);
        lines[at] = lines[at].slice(0, offset) + pick(INSERTS) +
          lines[at].slice(offset);
        break;
      }
      case 12: // bytes that are not UTF-8 (kept as U+DC80 + n)
      case 13: {
        const bytes = [...encodeBytes(lines[at])];
        const offset = below(bytes.length + 1);
        const junk = Array.from(
          { length: 1 + below(3) },
          () => pick([0x80 + below(0x80), below(0x20), 0x7f, 0xc3, 0xe2]),
        );
        bytes.splice(offset, random() < 0.5 ? 0 : 1, ...junk);
        lines[at] = decodeBytes(new Uint8Array(bytes));
        break;
      }
    }
  }
  const text = lines.join("\n") + (random() < 0.8 ? "\n" : "");
  return decodeBytes(encodeBytes(text));
}

/** The error a parse throws, as its message; null when it parses. */
function refusal(parse: () => unknown): string | null {
  try {
    parse();
    return null;
  } catch (error) {
    if (!(error instanceof MountinfoError)) throw error;
    return error.message;
  }
}

/** Checks one text; throws an assertion error describing what is wrong. */
function check(text: string): void {
  const lines = text.split("\n");
  let mounts: Mount[] = [];
  const refused = refusal(() =>
    mounts = parseMountinfo(text, { source: "fuzz" })
  );
  // Line by line, the line parser reads what the scanner read.
  const parsed: Mount[] = [];
  let lineRefused: string | null = null;
  for (const [index, line] of lines.entries()) {
    if (line === "") continue;
    const where = { source: "fuzz", line: index + 1 };
    lineRefused = refusal(() => parsed.push(parseLine(line, where)));
    if (lineRefused !== null) break;
  }
  assert.equal(lineRefused, refused, "the line parser refuses otherwise");
  if (refused === null) assert.deepEqual(parsed, mounts, "line by line");
  checkTable(text, refused, mounts);
  if (refused !== null) {
    const match = /^fuzz: line (\d+): ([^\n\r]+)$/.exec(refused);
    assert.ok(match, `not one line naming a line: ${JSON.stringify(refused)}`);
    const number = Number(match[1]);
    assert.ok(number >= 1 && number <= lines.length, refused);
    // The line named is the first that fails on its own.
    assert.notEqual(refusal(() => parseMountinfo(lines[number - 1])), null);
    for (const line of lines.slice(0, number - 1)) {
      assert.equal(refusal(() => parseMountinfo(line)), null, refused);
    }
    return;
  }
  const tree = mountTree(mounts);
  assert.equal(tree.rows.length, mounts.length, "rows against list");
  assert.deepEqual(
    new Set(tree.rows.map((row) => row.mount)),
    new Set(mounts),
    "the tree and the list hold different mounts",
  );
  const tops = tree.rows.filter((row) => row.prefix === "").map((row) =>
    row.mount
  );
  assert.deepEqual(
    tree.topLevel.map((top) => top.mount),
    tops.slice(tops.length - tree.topLevel.length),
    "every top-level mount but the root is named",
  );
  assert.ok(tops.length - tree.topLevel.length <= 1, "one unnamed root");
  const warning = topLevelWarning(tree.topLevel);
  if (warning !== null) assert.doesNotMatch(warning, /[\n\r]/);
}

const FIELDS: readonly MountField[] = [
  "root",
  "target",
  "options",
  "fstype",
  "source",
  "superOptions",
];

/**
 * The compact table of a text refuses it as the parser does, or holds the
 * parser's mounts: the same when made, the same numbers without being
 * made, and for a plain line, each field's bytes.
 */
function checkTable(
  text: string,
  refused: string | null,
  mounts: readonly Mount[],
): void {
  const table = new MountTable();
  const bytes = encodeBytes(text);
  // In two pieces, cut after a line, as a file is read.
  const cut = bytes.indexOf(10, bytes.length >> 1) + 1;
  const tableRefused = refusal(() => {
    const lines = cut > 0
      ? table.append({
        bytes: bytes.subarray(0, cut),
        source: "fuzz",
        firstLine: 1,
      })
      : 0;
    table.append({
      bytes: bytes.subarray(cut),
      source: "fuzz",
      firstLine: 1 + lines,
    });
  });
  assert.equal(tableRefused, refused, "the table refuses otherwise");
  if (refused !== null) return;
  assert.equal(table.length, mounts.length, "the table's length");
  mounts.forEach((mount, index) => {
    assert.deepEqual(table.mount(index), mount, `mount ${index}`);
    assert.deepEqual(
      [
        table.id(index),
        table.parent(index),
        table.peer(index),
        table.master(index),
        table.propagateFrom(index),
        table.unbindable(index),
      ],
      [
        mount.id,
        mount.parent,
        mount.peer,
        mount.master,
        mount.propagateFrom,
        mount.unbindable,
      ],
      `mount ${index}'s numbers`,
    );
    if (!table.isPlain(index)) return;
    assert.deepEqual(
      table.majorMinor(index),
      [mount.major, mount.minor],
      `mount ${index}'s device`,
    );
    assert.deepEqual(mount.unknownFields, [], `mount ${index} is plain`);
    for (const field of FIELDS) {
      assert.equal(
        decodeBytes(
          table.bytes.subarray(
            table.fieldStart(index, field),
            table.fieldEnd(index, field),
          ),
        ),
        mount[field],
        `mount ${index}'s ${field}`,
      );
    }
  });
}

Deno.test(`mountinfo fuzz: ${CASES} mutated texts are parsed whole or refused in one line`, () => {
  let parsed = 0;
  let warned = 0;
  for (let index = 0; index < CASES; index++) {
    const seed = BASE_SEED + index;
    const text = generate(seed);
    try {
      check(text);
    } catch (error) {
      throw new Error(
        `seed ${seed} (replay: MOUNTINFO_FUZZ_SEED=${seed} MOUNTINFO_FUZZ_CASES=1): ${
          (error as Error).message
        }\n--- the text:\n${JSON.stringify(text)}`,
      );
    }
    const mounts = (() => {
      try {
        return parseMountinfo(text);
      } catch {
        return null;
      }
    })();
    if (mounts !== null) {
      parsed++;
      if (mountTree(mounts).topLevel.length > 0) warned++;
    }
  }
  // The mutations are neither all fatal nor all harmless.
  if (CASES >= 1000) {
    assert.ok(parsed > CASES / 10, `only ${parsed} of ${CASES} parsed`);
    assert.ok(parsed < CASES * 0.9, `${parsed} of ${CASES} parsed`);
    assert.ok(warned > CASES / 20, `only ${warned} put mounts at the top`);
  }
});
