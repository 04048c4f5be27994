import type { WatchTarget } from '../db/ports.js';

/** What the watch button partial needs: the form's fields and the state it shows. */
export interface WatchView {
  type: WatchTarget;
  /** The id POST /watch takes (a tag is "<communityId>:<tag>"). */
  target: string;
  watching: boolean;
  /** Names the target for screen readers ("the tag espresso"); the page around it shows it to sighted readers. */
  name: string;
  /** Where the form returns to. */
  back: string;
}

export function watchView(type: WatchTarget, target: string, watching: boolean, name: string, back: string): WatchView {
  return { type, target, watching, name, back };
}

/** The watch id of a tag: tags are per community, so the community's id is part of it. */
export function tagWatchTarget(communityId: string, tag: string): string {
  return `${communityId}:${tag}`;
}
