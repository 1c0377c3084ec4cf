import assert from "node:assert/strict";
import {
  decodeOctalEscapes,
  type Mount,
  MountinfoError,
  parseLine,
} from "./mountinfo.ts";
import { MountTable, parseMountinfo } from "./mount_table.ts";
import { encodeBytes } from "../bytes.ts";
import { propagationOf } from "./propagation.ts";

Deno.test("parses every field of a plain line", () => {
  const [mount] = parseMountinfo(
    "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n",
  );
  assert.deepEqual(mount, {
    id: 36,
    parent: 35,
    major: 98,
    minor: 0,
    root: "/mnt1",
    target: "/mnt2",
    options: "rw,noatime",
    peer: null,
    master: 1,
    propagateFrom: null,
    unbindable: false,
    unknownFields: [],
    fstype: "ext3",
    source: "/dev/root",
    superOptions: "rw,errors=continue",
  });
  assert.equal(propagationOf(mount), "slave");
});

Deno.test("reads every optional field, keeping unknown ones", () => {
  const mounts = parseMountinfo(
    [
      "1 0 0:1 / / rw - ext4 /dev/vda rw",
      "2 1 0:2 / /a rw shared:7 - tmpfs t rw",
      "3 1 0:3 / /b rw shared:8 master:7 - tmpfs t rw",
      "4 1 0:4 / /c rw master:7 propagate_from:2 - tmpfs t rw",
      "5 1 0:5 / /d rw unbindable - tmpfs t rw",
      "6 1 0:6 / /e rw shared:9 future:3 flag - tmpfs t rw",
    ].join("\n"),
  );
  assert.deepEqual(
    mounts.map((m) => [
      propagationOf(m),
      m.peer,
      m.master,
      m.propagateFrom,
      m.unbindable,
      m.unknownFields,
    ]),
    [
      ["private", null, null, null, false, []],
      ["shared", 7, null, null, false, []],
      ["shared,slave", 8, 7, null, false, []],
      ["slave", null, 7, 2, false, []],
      ["unbindable", null, null, null, true, []],
      ["shared", 9, null, null, false, ["future:3", "flag"]],
    ],
  );
});

Deno.test("decodes the kernel's octal escapes", () => {
  assert.equal(
    decodeOctalEscapes("/a\\040b\\011c\\012d\\134e"),
    "/a b\tc\nd\\e",
  );
  const [mount] = parseMountinfo(
    "7 1 0:7 /sub\\040dir /mnt/my\\040disk rw - fuse.x my\\134src rw,x=a\\040b\n",
  );
  assert.equal(mount.root, "/sub dir");
  assert.equal(mount.target, "/mnt/my disk");
  assert.equal(mount.source, "my\\src");
  assert.equal(mount.superOptions, "rw,x=a b");
  assert.equal(mount.fstype, "fuse.x");
});

Deno.test("UTF-8 paths pass through", () => {
  const [mount] = parseMountinfo("8 1 0:8 / /mnt/ünï€✓ rw - tmpfs t rw\n");
  assert.equal(mount.target, "/mnt/ünï€✓");
});

Deno.test("malformed lines name their line number, never crash", () => {
  const cases: [string, RegExp][] = [
    [
      "1 0 0:1 / / rw - ext4 /dev/vda rw\n2 1 0:2 / /a rw shared:1 tmpfs t rw",
      /line 2: no ' - ' separator/,
    ],
    [
      "x 0 0:1 / / rw - ext4 /dev/vda rw",
      /line 1: mount id "x" is not a number/,
    ],
    [
      "1 0 01 / / rw - ext4 /dev/vda rw",
      /line 1: device "01" is not major:minor/,
    ],
    [
      "1 0 0:1 / / rw shared:x - ext4 /dev/vda rw",
      /line 1: shared "x" is not a number/,
    ],
    [
      "1 0 0:1 / / - ext4 x rw",
      /line 1: expected 6 fields before ' - ', found 5/,
    ],
    [
      "1 0 0:1 / / rw a b - ext4",
      /line 1: expected filesystem type, source and super options/,
    ],
    ["\n\n1 0", /line 3:/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseMountinfo(text, { source: "saved" }),
      (error: unknown) => {
        assert.ok(error instanceof MountinfoError);
        assert.match(error.message, /^saved: /);
        assert.match(error.message, message);
        return true;
      },
    );
  }
});

Deno.test("parses 20,000 and 40,000 generated lines completely", () => {
  const lines = (n: number): string =>
    Array.from(
      { length: n },
      (_, i) => `${i + 100} 99 0:${i} / /mnt/m${i} rw shared:${i} - tmpfs t rw`,
    ).join("\n");
  const small = lines(20000);
  const large = lines(40000);
  assert.equal(parseMountinfo(small).length, 20000);
  assert.equal(parseMountinfo(large).length, 40000);
});

/** The error a parse throws, as its message; "" when it parses. */
function refusal(parse: () => unknown): string {
  try {
    parse();
    return "";
  } catch (error) {
    assert.ok(error instanceof MountinfoError, String(error));
    return error.message;
  }
}

Deno.test("numbers beyond 2^53-1 are refused alike by the line parser and the table", () => {
  const big = "9007199254740993";
  const where = { source: "saved", line: 2 };
  const cases: [string, string][] = [
    [`${big} 1 0:1 / /a rw - tmpfs t rw`, `mount id ${big}`],
    [`2 ${big} 0:1 / /a rw - tmpfs t rw`, `parent id ${big}`],
    [`2 1 ${big}:1 / /a rw - tmpfs t rw`, `major ${big}`],
    [`2 1 0:${big} / /a rw - tmpfs t rw`, `minor ${big}`],
    [`2 1 0:1 / /a rw shared:${big} - tmpfs t rw`, `shared ${big}`],
    [`2 1 0:1 / /a rw master:${big} - tmpfs t rw`, `master ${big}`],
    [
      `2 1 0:1 / /a rw propagate_from:${big} - tmpfs t rw`,
      `propagate_from ${big}`,
    ],
    [`2 1 0:1 / /a rw - tmpfs t rw`.replace("2", "9".repeat(400)), "mount id"],
  ];
  for (const [line, what] of cases) {
    const slow = refusal(() => parseLine(line, where));
    assert.match(slow, new RegExp(`^saved: line 2: ${what}`), line);
    assert.match(slow, / is over 9007199254740991 \(2\^53-1\)/);
    // A plain line, and one with an empty source (not plain).
    for (const text of [line, line.replace(" t rw", "  rw")]) {
      assert.equal(
        refusal(() =>
          parseMountinfo(`1 0 0:1 / / rw - ext4 a rw\n${text}`, {
            source: "saved",
          })
        ),
        slow,
        text,
      );
    }
  }
  // The largest exact number is read.
  const [mount] = parseMountinfo(
    "9007199254740991 9007199254740990 0:1 / / rw shared:9007199254740991 - ext4 a rw",
  );
  assert.equal(mount.id, Number.MAX_SAFE_INTEGER);
  assert.equal(mount.peer, Number.MAX_SAFE_INTEGER);
});

Deno.test("the table's ids and parent ids, kernel-sized or past its array", () => {
  const table = (text: string): MountTable => {
    const made = new MountTable();
    made.append({ bytes: encodeBytes(text), source: "saved", firstLine: 1 });
    return made;
  };
  const small = table(
    "1 0 0:1 / / rw - ext4 a rw\n5 1 0:2 / /a rw - tmpfs t rw\n",
  );
  assert.deepEqual(Array.from(small.ids()), [1, 5]);
  assert.deepEqual(Array.from(small.parents()), [0, 1]);
  // 2^32 and past it do not fit the table's Uint32Array: read exactly.
  const big = table(
    "1 0 0:1 / / rw - ext4 a rw\n4294967296 1 0:2 / /a rw - tmpfs t rw\n" +
      "3 9007199254740991 0:2 / /b rw - tmpfs t rw\n",
  );
  assert.deepEqual(Array.from(big.ids()), [1, 4294967296, 3]);
  assert.deepEqual(Array.from(big.parents()), [0, 1, 9007199254740991]);
});

Deno.test("numbers are decimal digits only", () => {
  for (const id of ["1e3", "0x10", "+5", "-1", "1.0", "١"]) {
    const line = `${id} 1 0:1 / /a rw shared:${id} - tmpfs  rw`;
    assert.match(
      refusal(() => parseLine(line, { source: "s", line: 1 })),
      /^s: line 1: mount id ".*" is not a number$/,
      id,
    );
  }
});

Deno.test("the table takes the first ' - ' as the separator, as the line parser does", () => {
  const where = { source: "s", line: 1 };
  for (
    const line of [
      "1 0 0:1 / / rw - - ext4 x rw",
      "1 0 0:1 / / - - ext4 x rw",
      "1 0 0:1 - / rw - ext4 x rw",
    ]
  ) {
    const slow = refusal(() => parseLine(line, where)) ||
      parseLine(line, where);
    const table = refusal(() => parseMountinfo(line, { source: "s" })) ||
      parseMountinfo(line, { source: "s" })[0];
    assert.deepEqual(table, slow, line);
  }
  assert.equal(parseLine("1 0 0:1 / / rw - - ext4 x rw", where).fstype, "-");
});

Deno.test("an empty source (mount -t tmpfs '' /x) is read", () => {
  const [mount] = parseMountinfo("63 43 0:39 / /mnt rw,relatime - tmpfs  rw\n");
  assert.equal(mount.source, "");
  assert.equal(mount.superOptions, "rw");
});

Deno.test("a table whose room starts inside its buffer reads as one in plain room", () => {
  // As lib/system/huge_page_room.ts gives it: bytes at an offset in a
  // larger buffer.
  const offsetRoom = (size: number): Uint8Array<ArrayBuffer> =>
    new Uint8Array(new ArrayBuffer(size + 24), 16, size);
  const text = Array.from(
    { length: 5000 },
    (_, i) => `${i + 100} 99 0:${i} / /mnt/m${i} rw shared:${i} - tmpfs t rw`,
  ).join("\n");
  const read = (table: MountTable): Mount[] => {
    // Piece by piece, as /proc is read, so that the table grows.
    const lines = text.split("\n");
    for (let at = 0; at < lines.length; at += 50) {
      table.append({
        bytes: encodeBytes(lines.slice(at, at + 50).join("\n") + "\n"),
        source: "mountinfo",
        firstLine: at + 1,
      });
    }
    return table.mounts();
  };
  const plain = read(new MountTable());
  assert.equal(plain.length, 5000);
  assert.deepEqual(read(new MountTable(0, offsetRoom)), plain);
});
