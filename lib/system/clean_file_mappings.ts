/**
 * A process's clean file mappings, from `/proc/PID/smaps`: private,
 * read-only mappings of a file, none of whose pages was ever written (no
 * anonymous page in them, resident or swapped out: a page that relocation
 * wrote before the mapping was made read-only is one). Their resident pages are copies of the file that
 * the page cache holds anyway: dropped, they come back unchanged on the
 * next access. Most of a waiting Deno process's resident set is such pages
 * of the deno binary — code and data used once, while it started.
 *
 * @module
 */

/** A range of a process's address space. */
export interface AddressRange {
  /** Its first address. */
  start: bigint;
  /** Its length in bytes. */
  length: bigint;
}

/**
 * The number of a `Name:   123 kB` line of the entry between `from` and
 * `to`; 0 when the entry has no such line.
 */
function entryField(
  smaps: string,
  name: string,
  entry: { from: number; to: number },
): number {
  const at = smaps.indexOf(`\n${name}:`, entry.from);
  if (at === -1 || at > entry.to) return 0;
  return parseInt(smaps.slice(at + name.length + 2, entry.to));
}

/**
 * The clean file mappings with resident pages in an smaps text: private
 * (`p`), not writable, of a file (a path, not `[vdso]` or the like), with
 * resident pages and no anonymous one, in memory or in swap. It walks the text an entry at a time
 * (each ends with its `VmFlags` line), with string searches, not a loop
 * over every line: a waiting process parses it, and a hot loop would make
 * V8 compile optimized code it keeps.
 *
 * @example
 * ```ts
 * cleanFileMappings(
 *   "1000-3000 r-xp 00000000 fe:01 7 /usr/bin/deno\nRss: 8 kB\nAnonymous: 0 kB\nVmFlags: rd ex\n",
 * ); // [{ start: 4096n, length: 8192n }]
 * ```
 */
export function cleanFileMappings(smaps: string): AddressRange[] {
  const found: AddressRange[] = [];
  for (let at = 0; at < smaps.length;) {
    const headerEnd = smaps.indexOf("\n", at);
    if (headerEnd === -1) break;
    const flags = smaps.indexOf("\nVmFlags:", headerEnd);
    const next = flags === -1 ? -1 : smaps.indexOf("\n", flags + 1);
    const entry = { from: headerEnd, to: next === -1 ? smaps.length : next };
    const [range, perms = "", , , , path = ""] = smaps.slice(at, headerEnd)
      .split(/ +/);
    const [from, to] = range.split("-").map((hex) => BigInt(`0x${hex}`));
    if (
      perms[1] !== "w" && perms[3] === "p" && path.startsWith("/") &&
      entryField(smaps, "Rss", entry) > 0 &&
      entryField(smaps, "Anonymous", entry) === 0 &&
      entryField(smaps, "Swap", entry) === 0
    ) {
      found.push({ start: from, length: to - from });
    }
    at = entry.to + 1;
  }
  return found;
}

/**
 * This process's clean file mappings ({@linkcode cleanFileMappings}); none
 * when `/proc/self/smaps` cannot be read (no `/proc` in a new root).
 *
 * @example
 * ```ts
 * readCleanFileMappings().length > 0; // true: deno's own code, at least
 * ```
 */
export function readCleanFileMappings(): AddressRange[] {
  let smaps: string;
  try {
    smaps = Deno.readTextFileSync("/proc/self/smaps");
  } catch {
    return [];
  }
  return cleanFileMappings(smaps);
}
