import assert from "node:assert/strict";
import {
  cleanFileMappings,
  readCleanFileMappings,
} from "./clean_file_mappings.ts";

/** One smaps entry, as the kernel writes it (fields trimmed to those read). */
function entry(
  header: string,
  sizes: { rss: number; anonymous: number; swap?: number },
): string {
  return `${header}\nSize:                128 kB\nRss:    ${sizes.rss} kB\nPss:    ${sizes.rss} kB\nAnonymous:   ${sizes.anonymous} kB\nSwap:   ${
    sizes.swap ?? 0
  } kB\nVmFlags: rd mr mw me\n`;
}

Deno.test("cleanFileMappings: private, read-only, file, resident, never written", () => {
  const smaps = [
    entry("1000-3000 r--p 00000000 fe:01 7    /usr/bin/deno", {
      rss: 8,
      anonymous: 0,
    }),
    entry("3000-5000 r-xp 00002000 fe:01 7    /usr/bin/deno", {
      rss: 4,
      anonymous: 0,
    }),
    // RELRO: read-only now, written by the dynamic linker before.
    entry("5000-6000 r--p 00004000 fe:01 7    /usr/bin/deno", {
      rss: 4,
      anonymous: 4,
    }),
    // RELRO whose written page went to swap: not clean either.
    entry("5800-5900 r--p 00004800 fe:01 7    /usr/bin/deno", {
      rss: 4,
      anonymous: 0,
      swap: 4,
    }),
    entry("6000-7000 rw-p 00005000 fe:01 7    /usr/bin/deno", {
      rss: 4,
      anonymous: 4,
    }),
    entry("7000-8000 r--s 00000000 fe:01 9    /var/cache/db", {
      rss: 4,
      anonymous: 0,
    }),
    entry("8000-9000 r--p 00000000 fe:01 8    /usr/lib/libc.so.6", {
      rss: 0,
      anonymous: 0,
    }),
    entry("9000-a000 r-xp 00000000 00:00 0    [vdso]", {
      rss: 4,
      anonymous: 0,
    }),
    entry("a000-b000 rw-p 00000000 00:00 0 ", { rss: 4, anonymous: 4 }),
    entry("b000-d000 r-xp 00000000 fe:01 10   /tmp/.deno-ffi-x.so (deleted)", {
      rss: 8,
      anonymous: 0,
    }),
  ].join("");
  assert.deepEqual(cleanFileMappings(smaps), [
    { start: 0x1000n, length: 0x2000n },
    { start: 0x3000n, length: 0x2000n },
    { start: 0xb000n, length: 0x2000n },
  ]);
  assert.deepEqual(cleanFileMappings(""), []);
});

Deno.test("readCleanFileMappings: this process has some (deno's own code), each a whole mapping of /proc/self/maps", () => {
  const maps = Deno.readTextFileSync("/proc/self/maps");
  const found = readCleanFileMappings();
  assert.ok(found.length > 0);
  for (const range of found) {
    const from = range.start.toString(16);
    const to = (range.start + range.length).toString(16);
    assert.match(maps, new RegExp(`^0*${from}-0*${to} r.[x-]p `, "m"));
  }
});
