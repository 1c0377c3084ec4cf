/**
 * Mount points a terminal must not get raw (escape sequences, CR, newline,
 * tab, backslashes, a C1 control, a byte that is not UTF-8): every table,
 * summary and error line prints them as findmnt does, one mount a row, while
 * `--json` and the system calls keep their exact bytes.
 */
import { filesystems } from "./findmnt_json.ts";
import assert from "node:assert/strict";
import { decodeBytes } from "../lib/bytes.ts";
import { expectCode } from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { normalizeMountinfo } from "./mountinfo_compare.ts";

/** The mount point names, as bash words; `bad\xffname` is not UTF-8. */
const NAMES: readonly string[] = [
  String.raw`$'esc\e[31mred\e[0m'`,
  String.raw`$'cr\rx'`,
  String.raw`$'nl\nfake_src ext4 shared 1 - -'`,
  String.raw`$'tab\tx'`,
  String.raw`'back\slash'`,
  String.raw`'not\xan escape'`,
  String.raw`$'c1\xc2\x85x'`,
  String.raw`$'bad\xffname'`,
  String.raw`'sp é'`,
];

/**
 * A shared tmpfs at `$T/NAME` and a bind of it at `$T/NAME.b` (peer groups
 * of two) for each name; `section NAME CMD...` runs CMD and prints
 * `@@NAME STATUS BASE64-OF-ITS-OUTPUT`, so every byte comes back as it was.
 */
const SETUP = `names=(${NAMES.join(" ")})
for n in "\${names[@]}"; do
  mkdir "$T/$n" "$T/$n.b"
  mount -t tmpfs src "$T/$n"; mount --make-shared "$T/$n"
  mount --bind "$T/$n" "$T/$n.b"
done
section() {
  local name=$1 code=0; shift
  "$@" >"$T/.out" 2>&1 || code=$?
  printf '@@%s %s %s\\n' "$name" "$code" "$(base64 -w0 <"$T/.out")"
}
section T echo "$T"
section findmnt env LC_ALL=C.UTF-8 findmnt -l -o TARGET
`;

interface Section {
  code: number;
  bytes: Uint8Array;
}

async function runSections(script: string): Promise<Map<string, Section>> {
  const outcome = expectCode(await inScratchNamespace(SETUP + script), 0);
  const sections = new Map<string, Section>();
  for (const line of outcome.stdout.split("\n")) {
    if (!line.startsWith("@@")) continue;
    const [name, code, base64 = ""] = line.slice(2).split(" ");
    const binary = atob(base64);
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    sections.set(name, { code: Number(code), bytes });
  }
  return sections;
}

const STRICT = new TextDecoder("utf-8", { fatal: true });
// deno-lint-ignore no-control-regex -- raw control characters are the bug
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

/**
 * A section's output as lines, after checking its bytes: valid UTF-8 and no
 * control character but the line ends.
 */
function safeLines(
  sections: Map<string, Section>,
  name: string,
  code = 0,
): string[] {
  const section = sections.get(name);
  assert.ok(section, `no section ${name}`);
  const text = STRICT.decode(section.bytes);
  assert.equal(section.code, code, `${name}: exit status\n${text}`);
  const raw = RAW_CONTROL.exec(text);
  assert.equal(
    raw,
    null,
    `${name}: a raw U+${
      raw?.[0].charCodeAt(0).toString(16).padStart(4, "0")
    } at ${raw?.index}`,
  );
  return text.split("\n").slice(0, -1);
}

/** The cells of one column of a rendered table (header first), by position. */
function column(
  rows: readonly string[],
  header: string,
  next?: string,
): string[] {
  const start = rows[0].indexOf(header);
  const end = next === undefined ? undefined : rows[0].indexOf(next);
  assert.ok(start >= 0 && (end === undefined || end > start), rows[0]);
  return rows.slice(1).map((row) => row.slice(start, end).trimEnd());
}

/** findmnt's targets, and `$T`. */
interface FindmntTargets {
  /** `$T`. */
  t: string;
  /** Every mount's, in mountinfo order. */
  all: string[];
  /** The mounts this test made: each name, then its bind. */
  ours: string[];
  /** Each name's mount, escaped. */
  escaped: string[];
}

function findmntTargets(sections: Map<string, Section>): FindmntTargets {
  const t = safeLines(sections, "T")[0];
  const all = safeLines(sections, "findmnt").slice(1);
  const ours = all.filter((target) => target.startsWith(`${t}/`));
  assert.equal(ours.length, NAMES.length * 2);
  for (let index = 0; index < NAMES.length; index++) {
    assert.equal(ours[2 * index + 1], `${ours[2 * index]}.b`);
  }
  const escaped = ours.filter((_, index) => index % 2 === 0);
  assert.deepEqual(escaped.map((target) => target.slice(t.length + 1)), [
    String.raw`esc\x1b[31mred\x1b[0m`,
    String.raw`cr\x0dx`,
    String.raw`nl\x0afake_src ext4 shared 1 - -`,
    String.raw`tab\x09x`,
    String.raw`back\slash`,
    String.raw`not\x5cxan escape`,
    String.raw`c1\xc2\x85x`,
    String.raw`bad\xffname`,
    "sp é",
  ]);
  return { t, all, ours, escaped };
}

const sorted = (items: readonly string[]): string[] => [...items].sort();

rootTest(
  "show, peers and check: one row a mount, escaped as findmnt escapes",
  async () => {
    const sections = await runSections(`
section mountinfo cat /proc/self/mountinfo
section tree mntns propagation show
section list mntns propagation show --list
targets=(); for p in "$T"/*; do targets+=(-T "$p"); done
section paths mntns propagation show "\${targets[@]}"
section peers mntns propagation peers
cp "$(command -v sleep)" "$T"/.$'\\e[31msleep'
unshare -m --propagation unchanged "$T"/.$'\\e[31msleep' 300 & sleeper=$!
while [ "$(readlink /proc/$sleeper/ns/mnt)" = "$(readlink /proc/self/ns/mnt)" ]; do sleep 0.01; done
section peersPid mntns propagation peers --pid $sleeper
section check mntns propagation check "$T"/*
`);
    const { all, ours, escaped } = findmntTargets(sections);
    const mounts =
      sections.get("mountinfo")!.bytes.filter((byte) => byte === 0x0a).length;
    assert.equal(all.length, mounts);

    const list = safeLines(sections, "list");
    const listRows = list.filter((line) => !line.startsWith("peer group "));
    assert.deepEqual(column(listRows, "TARGET", "SOURCE"), all);

    const tree = safeLines(sections, "tree");
    const treeRows = tree.filter((line) => !line.startsWith("peer group "));
    assert.deepEqual(
      sorted(
        column(treeRows, "TARGET", "SOURCE").map((cell) =>
          cell.slice(cell.indexOf("/"))
        ),
      ),
      sorted(all),
    );
    const summaries = tree.filter((line) => line.startsWith("peer group "))
      .map((line) => line.replace(/^peer group \d+: /, ""));
    // Members in the tree's order, which is mount-id order.
    for (const target of escaped) {
      assert.ok(
        summaries.includes(`${target}, ${target}.b`) ||
          summaries.includes(`${target}.b, ${target}`),
        target,
      );
    }

    const paths = safeLines(sections, "paths");
    const pathRows = paths.filter((line) => !line.startsWith("peer group "));
    assert.equal(paths.length - pathRows.length, NAMES.length);
    assert.deepEqual(
      sorted(column(pathRows, "TARGET", "SOURCE")),
      sorted(ours),
    );

    const peers = safeLines(sections, "peers");
    const peerRows = peers.filter((line) => !line.startsWith("namespace "));
    assert.equal(peers.length - peerRows.length, 1);
    assert.deepEqual(
      sorted(column(peerRows, "TARGET", "ROOT")),
      sorted(ours),
    );

    const other = safeLines(sections, "peersPid");
    assert.match(
      other.at(-1)!,
      /^namespace \d+: pid \d+ \(\.\\x1b\[31msleep\)$/,
    );
    assert.deepEqual(
      sorted(column(other.slice(0, -1), "TARGET", "ROOT")),
      sorted(ours),
    );

    const warnings = column(safeLines(sections, "check", 1), "WARNING");
    assert.deepEqual(
      sorted(warnings.map((warning) => warning.split(" is shared (")[0])),
      sorted(ours),
    );
  },
);

rootTest(
  "reach and set on each: one row a mount; the byte \\xff goes to the kernel as it is",
  async () => {
    const sections = await runSections(`
for i in "\${!names[@]}"; do
  section "reach$i" mntns propagation reach "$T/\${names[$i]}"
done
section reachJson mntns propagation reach --json "$T"/$'bad\\xffname'
section showJson mntns propagation show --json "$T"/$'bad\\xffname'
cd "$T"
for i in "\${!names[@]}"; do
  section "set$i" mntns propagation set private "\${names[$i]}"
done
section after env LC_ALL=C.UTF-8 findmnt -l -n -o TARGET,PROPAGATION
`);
    const { t, escaped } = findmntTargets(sections);
    escaped.forEach((target, index) => {
      const reach = safeLines(sections, `reach${index}`);
      assert.equal(reach.length, 4, reach.join("\n"));
      const header =
        /^a mount at (.*) \(on mount \d+ at (.*), ns \d+\) appears at:$/
          .exec(reach[0]);
      assert.deepEqual(header?.slice(1), [target, target], reach[0]);
      assert.deepEqual(
        sorted(column(reach.slice(1), "TARGET")),
        [target, `${target}.b`],
      );

      const set = safeLines(sections, `set${index}`);
      assert.equal(set.length, 2, set.join("\n"));
      assert.deepEqual(column(set, "TARGET", "BEFORE"), [target]);
      assert.match(column(set, "BEFORE", "AFTER")[0], /^shared \(peer \d+\)$/);
      assert.deepEqual(column(set, "AFTER"), ["private"]);
    });
    const after = safeLines(sections, "after");
    for (const target of escaped) {
      const line = after.find((line) => line.startsWith(`${target} `));
      assert.match(line ?? "", / private$/, target);
    }

    const bad = `${t}/bad\udcffname`;
    const reach = JSON.parse(decodeBytes(sections.get("reachJson")!.bytes));
    assert.equal(reach.path, bad);
    assert.deepEqual(
      sorted(reach.reaches.map((place: { target: string }) => place.target)),
      [bad, `${bad}.b`],
    );
    const show = filesystems(decodeBytes(sections.get("showJson")!.bytes));
    assert.deepEqual(
      show.map((mount) => mount.target),
      [bad],
    );
  },
);

rootTest(
  "set on a mount at a path that is not UTF-8 leaves what mount --make-[r]private leaves",
  async () => {
    const sections = await runSections(`
twin() {
  mkdir -p "$1/$2" "$1/$2.b"
  mount -t tmpfs src "$1/$2"; mount --make-shared "$1/$2"
  mount --bind "$1/$2" "$1/$2.b"
  mkdir "$1/$2/sub"; mount -t tmpfs sub "$1/$2/sub"
}
name=$'bad\\xffname'
for dir in ours theirs oursR theirsR; do twin "$T/$dir" "$name"; done
section set mntns propagation set private "$T/ours/$name"
mount --make-private "$T/theirs/$name"
section setR mntns propagation set private -r "$T/oursR/$name"
mount --make-rprivate "$T/theirsR/$name"
section mountinfo cat /proc/self/mountinfo
`);
    const t = safeLines(sections, "T")[0];
    const mountinfo = decodeBytes(sections.get("mountinfo")!.bytes);
    const twin = (dir: string): string[] =>
      normalizeMountinfo(mountinfo, { prefix: `${t}/${dir}` });
    assert.equal(twin("ours").length, 4);
    assert.deepEqual(twin("ours"), twin("theirs"));
    assert.deepEqual(twin("oursR"), twin("theirsR"));
    assert.notDeepEqual(twin("ours"), twin("oursR"));

    const set = safeLines(sections, "set");
    assert.deepEqual(column(set, "TARGET", "BEFORE"), [
      `${t}/ours/bad\\xffname`,
    ]);
    assert.deepEqual(column(safeLines(sections, "setR"), "TARGET", "BEFORE"), [
      `${t}/oursR/bad\\xffname`,
      `${t}/oursR/bad\\xffname/sub`,
    ]);
  },
);

rootTest(
  "an error about a path with a newline is one line and keeps its reason",
  async () => {
    const sections = await runSections(String.raw`
mkdir "$T"/$'not\na mount'
section missing mntns propagation set private "$T"/$'missing/a\nb'
section notMount mntns propagation set private "$T"/$'not\na mount'
section showMissing mntns propagation show "$T"/$'missing/\e[31mred'
section reachMissing mntns propagation reach "$T"/$'missing/\xff'
section usage mntns propagation set $'\e[2Jbogus' /
`);
    const t = safeLines(sections, "T")[0];
    assert.deepEqual(safeLines(sections, "missing", 1), [
      String.raw`mntns: ${t}/missing/a\x0ab: no such file or directory`,
    ]);
    const notMount = safeLines(sections, "notMount", 1);
    assert.equal(notMount.length, 1);
    assert.ok(
      notMount[0].startsWith(
        `mntns: ${t}/not\\x0aa mount: not a mount point — `,
      ),
      notMount[0],
    );
    assert.ok(
      notMount[0].endsWith(
        `'mntns propagation show -T ${t}/not\\x0aa mount' names the mount it lives on`,
      ),
      notMount[0],
    );
    // show PATH is findmnt PATH: no mount point there, nothing said, exit 1.
    assert.deepEqual(safeLines(sections, "showMissing", 1), []);
    assert.deepEqual(safeLines(sections, "reachMissing", 1), [
      String.raw`mntns: ${t}/missing/\xff: no such file or directory`,
    ]);
    assert.deepEqual(safeLines(sections, "usage", 2), [
      String
        .raw`mntns: unknown mode '\x1b[2Jbogus' (one of: private, shared, slave, unbindable)`,
      "Try 'mntns propagation set --help' for more information.",
    ]);
  },
);
