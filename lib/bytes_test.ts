import assert from "node:assert/strict";
import { decodeBytes, displayText, encodeBytes, rawText } from "./bytes.ts";

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

Deno.test("displayText escapes what findmnt escapes, byte by byte", () => {
  const cases: [string, string][] = [
    ["/plain/path", "/plain/path"],
    ["/esc\x1b[31mred", "/esc\\x1b[31mred"],
    ["/cr\rlf\ntab\tnul\0", "/cr\\x0dlf\\x0atab\\x09nul\\x00"],
    ["/del\x7f", "/del\\x7f"],
    ["/c1\u0085\u009b", "/c1\\xc2\\x85\\xc2\\x9b"],
    ["/bad\udcffname\udc80", "/bad\\xffname\\x80"],
    ["/sp é ü 日本", "/sp é ü 日本"],
    // A backslash is escaped only where it starts `\x` (util-linux
    // mbs_safe_encode), so every `\x` printed is an escape.
    ["/back\\slash\\", "/back\\slash\\"],
    ["/not\\xan\\x1b", "/not\\x5cxan\\x5cx1b"],
    ["/two\\\\x", "/two\\\\x5cx"],
    ["/\\X", "/\\X"],
  ];
  for (const [raw, shown] of cases) {
    assert.equal(displayText(raw), shown, JSON.stringify(raw));
  }
});

Deno.test("displayText output is one line of printable text", () => {
  let all = "";
  for (let unit = 0; unit < 0x100; unit++) all += String.fromCharCode(unit);
  for (let byte = 0x80; byte < 0x100; byte++) {
    all += String.fromCharCode(0xdc00 + byte);
  }
  // deno-lint-ignore no-control-regex -- control characters are the failure
  assert.doesNotMatch(displayText(all), /[\x00-\x1f\x7f-\x9f\udc80-\udcff]/);
});

Deno.test("decodeBytes keeps a leading byte-order mark", () => {
  const bom = bytes(0xef, 0xbb, 0xbf, 0x61);
  assert.equal(decodeBytes(bom), "\ufeffa");
  assert.deepEqual(encodeBytes(decodeBytes(bom)), bom);
  assert.equal(decodeBytes(bytes(0xff, 0xef, 0xbb, 0xbf)), "\udcff\ufeff");
});

Deno.test("decodeBytes tells a real U+FFFD from a replaced byte", () => {
  const replacement = [0xef, 0xbf, 0xbd];
  assert.equal(decodeBytes(bytes(...replacement, 0x61)), "\ufffda");
  assert.equal(
    decodeBytes(bytes(...replacement, 0xff, 0xc3, 0xa9)),
    "\ufffd\udcffé",
  );
  // Overlong, surrogate and truncated sequences are kept byte by byte.
  assert.equal(decodeBytes(bytes(0xc0, 0xaf)), "\udcc0\udcaf");
  assert.equal(decodeBytes(bytes(0xed, 0xa0, 0x80)), "\udced\udca0\udc80");
  assert.equal(decodeBytes(bytes(0x61, 0xe2, 0x82)), "a\udce2\udc82");
});

Deno.test("decodeBytes and encodeBytes round-trip random bytes", () => {
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let round = 0; round < 500; round++) {
    const input = Uint8Array.from({ length: next() % 40 }, next);
    assert.deepEqual(encodeBytes(decodeBytes(input)), input);
  }
});

Deno.test("rawText escapes all but printable ASCII, and backslashes, byte by byte", () => {
  assert.equal(rawText("/mnt/plain-name_1.2"), "/mnt/plain-name_1.2");
  assert.equal(rawText("/sp é"), String.raw`/sp\x20\xc3\xa9`);
  assert.equal(rawText("a\\b a\\xb"), String.raw`a\x5cb\x20a\x5cxb`);
  assert.equal(rawText("t\tn\nd\x7f"), String.raw`t\x09n\x0ad\x7f`);
  assert.equal(
    rawText("c1\u0085 bad\udcff"),
    String.raw`c1\xc2\x85\x20bad\xff`,
  );
  assert.equal(rawText(`q"'~!`), `q"'~!`);
});
