/*
 * The one place that turns a redirect target taken from input (?next=, ?to=, a form's
 * `next` or `back`) into a Location header. Every such route goes through safeRedirectPath.
 */

/** Stand-ins for the site's own origin: the real host does not matter, only "unchanged". */
const SITE = 'http://site.invalid';
const ELSEWHERE = 'http://check.invalid';

/**
 * Resolves `raw` with the WHATWG URL parser (as a browser resolves a Location header: tabs
 * and newlines dropped, "\" read as "/", dot segments and %2e removed) against the site's
 * origin and accepts it only when the origin is unchanged. What comes back is the resolved
 * path, query and fragment, percent-encoded so that a non-ASCII path cannot make the header
 * invalid.
 *
 * The result is resolved a second time, against a different origin, and must again stay
 * there and read the same: "/.//evil.example/x" resolves on the site to the path
 * "//evil.example/x", which as a Location header is a scheme-relative URL to another host.
 */
export function safeRedirectPath(raw: string | undefined, fallback = '/'): string {
  // Only absolute paths: a scheme ("https:", "javascript:") or a relative path is refused
  // before parsing, and very long targets are not worth resolving.
  if (!raw || raw.length > 2000 || !raw.startsWith('/')) return fallback;
  const path = localPath(raw, SITE);
  if (path === null) return fallback;
  return localPath(path, ELSEWHERE) === path ? path : fallback;
}

function localPath(raw: string, origin: string): string | null {
  let resolved: URL;
  try {
    resolved = new URL(raw, origin);
  } catch {
    return null;
  }
  if (resolved.origin !== origin) return null;
  return resolved.pathname + resolved.search + resolved.hash;
}
