/**
 * Nodes by id, for the tree: the first node with each id, and the nodes
 * that repeat an id. The kernel's mount ids are small numbers, a few times
 * the number of mounts at most, and are then looked up in an array indexed
 * by id; any other ids (a saved file's can be anything) in a Map.
 *
 * @module
 */

/**
 * The largest id looked up in an array, for `count` nodes: four entries a
 * node and 64 Ki more (ids freed and reused leave gaps), 4 bytes each.
 */
function denseLimit(count: number): number {
  return 4 * count + 0x10000;
}

/** The first node (by index) with each id. */
export class NodesById {
  /** Indices by id, -1 for none; null when the Map is used. */
  #dense: Int32Array | null = null;
  #map: Map<number, number> | null = null;
  /** 1 for the first node with its id. */
  #firsts: Uint8Array;
  /** The nodes that repeat an earlier node's id, in order. */
  readonly repeats: number[] = [];

  /**
   * Indexes nodes by their ids (`ids[index]`).
   *
   * @example
   * ```ts
   * const byId = new NodesById([20, 21, 20]);
   * byId.get(21); // 1
   * byId.repeats; // [2]
   * ```
   */
  constructor(ids: ArrayLike<number>) {
    const count = ids.length;
    this.#firsts = new Uint8Array(count);
    let largest = 0;
    for (let index = 0; index < count; index++) {
      const id = ids[index];
      if (!(Number.isInteger(id) && id >= 0)) largest = Infinity;
      else if (id > largest) largest = id;
    }
    if (largest <= denseLimit(count)) {
      this.#dense = new Int32Array(largest + 1).fill(-1);
    } else this.#map = new Map();
    for (let index = 0; index < count; index++) {
      const id = ids[index];
      if (this.get(id) >= 0) this.repeats.push(index);
      else {
        this.#set(id, index);
        this.#firsts[index] = 1;
      }
    }
  }

  /** How many different ids there are. */
  get size(): number {
    return this.#firsts.length - this.repeats.length;
  }

  /** The index of the first node with `id`, or -1 when there is none. */
  get(id: number): number {
    const dense = this.#dense;
    if (dense !== null) {
      return Number.isInteger(id) && id >= 0 && id < dense.length
        ? dense[id]
        : -1;
    }
    return this.#map!.get(id) ?? -1;
  }

  /** Makes node `index` the one found for `id`. */
  #set(id: number, index: number): void {
    if (this.#dense !== null) this.#dense[id] = index;
    else this.#map!.set(id, index);
  }

  /** Whether node `index` is the first with its id. */
  isFirst(index: number): boolean {
    return this.#firsts[index] === 1;
  }
}
