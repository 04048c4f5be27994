import { minidenticon } from 'minidenticons';

/*
 * Generated avatars (identicons): a symmetric pattern and colour derived from the username,
 * drawn as SVG on the server by minidenticons. No uploads, no third-party image service, so
 * pages make no external requests. The same name always gives the same picture, so the
 * route serves it with a long, immutable cache lifetime.
 */

/** Longest name accepted by the route (usernames are at most 30 characters). */
export const AVATAR_MAX_NAME = 60;

export function avatarUrl(username: string): string {
  return `/avatars/${encodeURIComponent(username)}.svg`;
}

export function avatarSvg(username: string): string {
  // Saturation and lightness chosen so every hue keeps enough contrast on the light background.
  return minidenticon(username, 70, 42);
}
