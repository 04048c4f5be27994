/*
 * Reusable response buffers for the anonymous page cache (plugins/page-cache.ts).
 *
 * Every hit joins the page's kept bytes with the browser's own CSRF token into one buffer for
 * the response. Allocated new each time, a 20-70 KB buffer per response went to the C heap and
 * back once the garbage collector found it dead; at a few thousand pages a second that heap's
 * top kept growing and shrinking (hundreds of brk calls a second) and every new page of it was
 * faulted in and zeroed by the kernel before the copy. A community page (35 KB) cost more CPU
 * per hit than the hot thread (56 KB) that way; see docs/decisions.md.
 *
 * Here buffers come in a few sizes and go back to a free list when their response has been
 * handed to the operating system in full. Never earlier: a buffer that a socket write may
 * still read must not be filled with another browser's token. A response that ended any other
 * way (an aborted connection, an error) keeps its buffer, which the garbage collector frees.
 */

/** The smallest buffer handed out; sizes double from here. */
const MIN_SIZE = 16 * 1024;

export interface BodyPoolOptions {
  /** Free buffers kept, in bytes at most; a buffer given back beyond it is left to the garbage collector. */
  maxFreeBytes: number;
  /** Bodies larger than this are not pooled (take returns null). */
  maxSize: number;
}

export interface BodyPoolStats {
  /** Buffers handed out from the free list. */
  reused: number;
  /** Buffers handed out new. */
  allocated: number;
}

export class BodyPool {
  /** Free buffers by size class (MIN_SIZE << index). */
  private readonly free: Buffer[][] = [];
  private freeBytes = 0;
  readonly stats: BodyPoolStats = { reused: 0, allocated: 0 };

  constructor(private readonly options: BodyPoolOptions) {}

  /** Bytes held in the free list. */
  get held(): number {
    return this.freeBytes;
  }

  /**
   * A buffer of at least `bytes` (its length is its size class: use a subarray), or null when
   * the body is larger than any pooled size. It is the caller's until given back.
   */
  take(bytes: number): Buffer | null {
    if (bytes > this.options.maxSize) return null;
    const index = classOf(bytes);
    const buffer = this.free[index]?.pop();
    if (buffer) {
      this.freeBytes -= buffer.length;
      this.stats.reused++;
      return buffer;
    }
    this.stats.allocated++;
    return Buffer.allocUnsafeSlow(MIN_SIZE * 2 ** index);
  }

  /** Gives a buffer from take() back; only once nothing reads it any more (see above). */
  give(buffer: Buffer): void {
    if (this.freeBytes + buffer.length > this.options.maxFreeBytes) return;
    const index = classOf(buffer.length);
    // Only a whole buffer of its class (never a subarray): the next taker may use all of it.
    if (MIN_SIZE * 2 ** index !== buffer.length) return;
    (this.free[index] ??= []).push(buffer);
    this.freeBytes += buffer.length;
  }
}

/** The size class holding `bytes`: the smallest index with MIN_SIZE << index >= bytes. */
function classOf(bytes: number): number {
  return bytes <= MIN_SIZE ? 0 : Math.ceil(Math.log2(bytes / MIN_SIZE));
}
