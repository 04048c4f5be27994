/**
 * A counter that moves whenever content a page may show has changed (a successful write
 * request, a background job run). The anonymous page cache keeps a page only while the
 * counter still has the value it had when the page was rendered, so a write shows up at once
 * for every visitor of this instance. Other instances do not see it: their pages age out with
 * the cache's short TTL (see docs/decisions.md).
 */
export class ContentGeneration {
  private current = 0;

  get value(): number {
    return this.current;
  }

  bump(): void {
    this.current++;
  }
}
