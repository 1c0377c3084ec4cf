/**
 * Reading `findmnt -J` and `mntns propagation show -J` (the same shape):
 * `{"filesystems":[{...,"children":[...]}]}`, flattened.
 *
 * @module
 */

/** One mount of a `-J` listing: its columns' keys and values. */
export interface JsonMount {
  id: number;
  parent: number;
  target: string;
  source: string;
  fstype: string;
  propagation: string;
  peer: number | null;
  master: number | null;
  "propagate-from": number | null;
  "opt-fields": string | null;
}

type Nested = JsonMount & { children?: Nested[] };

/**
 * The mounts of a `-J` listing, depth-first, without their `children`.
 *
 * @example
 * ```ts
 * filesystems('{"filesystems":[{"target":"/","children":[{"target":"/a"}]}]}')
 *   .map((mount) => mount.target); // ["/", "/a"]
 * ```
 */
export function filesystems(json: string): JsonMount[] {
  const flat = (entries: Nested[]): JsonMount[] =>
    entries.flatMap(({ children, ...mount }) => [
      mount,
      ...flat(children ?? []),
    ]);
  return flat(JSON.parse(json).filesystems);
}
