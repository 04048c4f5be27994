/*
 * Work arrays a search reuses instead of allocating (a search runs synchronously from start to
 * end, so one set serves every search of the process). A broad search needs thousands of
 * values per array; allocating zeroed typed arrays of that size several times per search (each
 * with its own backing store, freed only by the garbage collector) was a measurable share of
 * its CPU. An array grown beyond KEEP values, after an unusually broad search, is let go the
 * next time instead of being held.
 */

/** The most values a kept work array holds between searches (512 KiB as Float64). */
export const KEEP = 1 << 16;

function size(n: number): number {
  let s = 1024;
  while (s < n) s *= 2;
  return s;
}

/** `a` if it holds n values and is not oversized for n, else a new array of a power-of-two size. Contents are whatever was there. */
export function float64Room(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  return n <= a.length && (a.length <= KEEP || n > KEEP) ? a : new Float64Array(size(n));
}

/** The same for Int32Array. */
export function int32Room(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  return n <= a.length && (a.length <= KEEP || n > KEEP) ? a : new Int32Array(size(n));
}
