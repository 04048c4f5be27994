/**
 * The first k of n documents in descending order of a key, ties by descending id (SQL's
 * `ORDER BY key DESC, rowid DESC LIMIT k`), as their indexes in `keys` / `ids`. A bounded
 * heap of the best k seen so far: a common word has tens of thousands of matches, and a full
 * sort of them (or SQLite's, joined to the attribute table) was most of a sorted search.
 * Keys and ids must be numbers (no NaN): the order is then total, the result unique.
 */
export function topByKeyThenId(keys: Float64Array, ids: Float64Array, n: number, k: number): Int32Array {
  const size = Math.max(0, Math.min(k, n));
  // A min-heap on (key, id): its root is the worst of the best `size` so far.
  const heap = new Int32Array(size);
  const below = (a: number, b: number) => keys[a]! < keys[b]! || (keys[a] === keys[b] && ids[a]! < ids[b]!);
  const siftDown = (from: number, count: number) => {
    for (let at = from; ; ) {
      const left = 2 * at + 1;
      if (left >= count) return;
      const right = left + 1;
      const child = right < count && below(heap[right]!, heap[left]!) ? right : left;
      if (!below(heap[child]!, heap[at]!)) return;
      const t = heap[at]!;
      heap[at] = heap[child]!;
      heap[child] = t;
      at = child;
    }
  };
  for (let i = 0; i < size; i++) heap[i] = i;
  for (let at = (size >> 1) - 1; at >= 0; at--) siftDown(at, size);
  for (let i = size; i < n; i++) {
    if (!below(heap[0]!, i)) continue;
    heap[0] = i;
    siftDown(0, size);
  }
  // Best first: take the root (the worst) to the end, one at a time.
  for (let count = size - 1; count > 0; count--) {
    const t = heap[0]!;
    heap[0] = heap[count]!;
    heap[count] = t;
    siftDown(0, count);
  }
  return heap;
}
