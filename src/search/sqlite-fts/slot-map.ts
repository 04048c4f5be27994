/**
 * Document id -> slot, open addressing in typed arrays: a broad search adds tens of thousands
 * of (document, term) pairs, and a Map lookup per pair was a large share of collecting them.
 * Per search, so concurrent searches never share one.
 */
export class SlotMap {
  private keys: Float64Array;
  /** slot + 1; 0 marks a free place. */
  private values: Int32Array;
  private size = 0;

  /** `expected`: how many ids it will hold, when known (no growing on the way). */
  constructor(expected = 0) {
    const places = SlotMap.places(expected);
    this.keys = new Float64Array(places);
    this.values = new Int32Array(places);
  }

  private static places(expected: number): number {
    let places = 1024;
    while (places < expected * 2 + 2) places *= 2;
    return places;
  }

  private static hash(id: number): number {
    // Ids are integers (negative for FAQ entries); the high bits matter only beyond 2^32.
    return Math.imul((id | 0) ^ ((id / 4294967296) | 0), 0x9e3779b1);
  }

  get(id: number): number {
    const mask = this.keys.length - 1;
    for (let at = SlotMap.hash(id) & mask; ; at = (at + 1) & mask) {
      const v = this.values[at]!;
      if (v === 0) return -1;
      if (this.keys[at] === id) return v - 1;
    }
  }

  /**
   * The slot of id, or -1 after giving it `slot` (one probe sequence for both: collecting
   * evidence asks this for every pair it reads).
   */
  getOrSet(id: number, slot: number): number {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let at = SlotMap.hash(id) & mask;
    for (;;) {
      const v = this.values[at]!;
      if (v === 0) break;
      if (this.keys[at] === id) return v - 1;
      at = (at + 1) & mask;
    }
    this.size++;
    this.keys[at] = id;
    this.values[at] = slot + 1;
    return -1;
  }

  set(id: number, slot: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let at = SlotMap.hash(id) & mask;
    while (this.values[at] !== 0 && this.keys[at] !== id) at = (at + 1) & mask;
    if (this.values[at] === 0) this.size++;
    this.keys[at] = id;
    this.values[at] = slot + 1;
  }

  /**
   * Empties the map for reuse, keeping its arrays when they hold at most `keep` places;
   * false when they are larger (the caller makes a new, small map instead). With `expected`
   * (how many ids it will hold next), also false when the arrays are more than four times the
   * size a new map for them would have: emptying costs a write per place, and a map grown by
   * one broad search would otherwise cost every later small search that much.
   */
  clear(keep: number, expected?: number): boolean {
    if (this.keys.length > keep) return false;
    if (expected !== undefined && this.keys.length > 4 * SlotMap.places(expected)) return false;
    this.values.fill(0);
    this.size = 0;
    return true;
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Int32Array(values.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (values[i] !== 0) this.set(keys[i]!, values[i]! - 1);
  }
}
