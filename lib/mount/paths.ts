/**
 * POSIX path arithmetic, for the few operations mntns needs; pure: the
 * working directory is the caller's to give. (`node:path` would start
 * Deno's Node compatibility layer: see lib/cli/args.ts.)
 *
 * @module
 */

/**
 * Normalizes an absolute path: no `.`, no `..`, no doubled or trailing
 * slashes; `..` stops at `/`.
 *
 * @example
 * ```ts
 * normalizePath("/a/./b/../c/"); // "/a/c"
 * ```
 */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return "/" + parts.join("/");
}

/**
 * Joins path pieces onto an absolute base, as `path.resolve` does: an
 * absolute piece starts over.
 *
 * @example
 * ```ts
 * resolvePath("/srv", "root", "../etc"); // "/srv/etc"
 * ```
 */
export function resolvePath(base: string, ...pieces: string[]): string {
  const all = [base, ...pieces];
  const start = all.findLastIndex((piece) => piece.startsWith("/"));
  return normalizePath(all.slice(start).join("/"));
}

/**
 * The directory part of an absolute path.
 *
 * @example
 * ```ts
 * parentDirectory("/a/b"); // "/a"
 * ```
 */
export function parentDirectory(path: string): string {
  return normalizePath(`${path}/..`);
}

/**
 * The path from `from` to `to`, both absolute: `""` when equal, starting
 * with `..` when `to` is not below `from`.
 *
 * @example
 * ```ts
 * relativePath("/srv/root", "/srv/root/etc"); // "etc"
 * ```
 */
export function relativePath(from: string, to: string): string {
  const a = normalizePath(from).split("/").filter(Boolean);
  const b = normalizePath(to).split("/").filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) {
    common++;
  }
  return [...a.slice(common).map(() => ".."), ...b.slice(common)].join("/");
}

/**
 * The path of a `file:` URL.
 *
 * @example
 * ```ts
 * fileUrlPath("file:///srv/my%20tool/main.ts"); // "/srv/my tool/main.ts"
 * ```
 */
export function fileUrlPath(url: string | URL): string {
  return decodeURIComponent(new URL(url).pathname);
}

/**
 * The part of `path` below `base` (`""` for `base` itself, else starting
 * with `/`), or `null` when `path` is not `base` or below it.
 *
 * @example
 * ```ts
 * pathBelow("/x", "/x/a/b"); // "/a/b"
 * pathBelow("/x", "/xy"); // null
 * ```
 */
export function pathBelow(base: string, path: string): string | null {
  if (path === base) return "";
  if (base === "/") return path.startsWith("/") ? path : null;
  return path.startsWith(base + "/") ? path.slice(base.length) : null;
}

/**
 * `base` followed by a {@linkcode pathBelow} remainder.
 *
 * @example
 * ```ts
 * joinBelow("/", "/a"); // "/a"
 * joinBelow("/x", ""); // "/x"
 * ```
 */
export function joinBelow(base: string, rest: string): string {
  if (rest === "") return base;
  return base === "/" ? rest : base + rest;
}
