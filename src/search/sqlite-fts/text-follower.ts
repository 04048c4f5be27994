import type { FtsState } from './install.js';
import type { TextStamp } from './read-cache.js';

/**
 * For an engine cache of indexed text (titles, hits' text): tells when what it keeps may be
 * out of date. New documents only add text (their own), so a cache outlives them; any other
 * text change (an edit, a deletion, a rename, a write by another process) may change what it
 * keeps. Votes and answer counts never reach it: they do not move the text version.
 */
export class TextFollower {
  private stamp: TextStamp | null = null;
  private version = '';

  constructor(private readonly state: FtsState) {}

  /** True when the kept text must be dropped: the text changed since the last call other than by new documents. */
  stale(): boolean {
    const version = this.state.textVersion();
    if (version === this.version) return false;
    const drop = this.stamp === null || this.state.appendedSince(this.stamp) === null;
    this.version = version;
    this.stamp = this.state.textStamp();
    return drop;
  }
}
