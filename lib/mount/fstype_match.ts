/**
 * findmnt's `-t, --types LIST` (libmount `match_fstype`): a comma-separated
 * list of filesystem types, compared without regard to case. A `no` (lower case) before
 * the whole list turns it around (`notmpfs,proc`: neither tmpfs nor proc);
 * `no` before one item excludes that type (`tmpfs,noproc`).
 *
 * @module
 */

/**
 * Whether a filesystem type matches a `-t` list, exactly as libmount
 * decides it: the first item naming the type decides (`noTYPE` excludes
 * it, `TYPE` includes it, or excludes it under a leading `no`); when no
 * item names it, it matches only under a leading `no`.
 *
 * @example
 * ```ts
 * matchesTypes("tmpfs", "tmpfs,proc"); // true
 * matchesTypes("tmpfs", "notmpfs,proc"); // false
 * matchesTypes("ext4", "notmpfs,proc"); // true
 * ```
 */
export function matchesTypes(fstype: string, list: string): boolean {
  const negated = list.startsWith("no");
  const type = fstype.toLowerCase();
  for (const item of (negated ? list.slice(2) : list).split(",")) {
    if (item.startsWith("no") && item.slice(2).toLowerCase() === type) {
      return false;
    }
    if (item.toLowerCase() === type) return !negated;
  }
  return negated;
}
