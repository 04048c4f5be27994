/*
 * Small helpers for reading responses the way a user (or browser) sees them. Not a test
 * file itself: vitest only collects *.test.ts.
 */

interface HasHeaders {
  headers: Record<string, unknown>;
}

/** Decodes the entities Eta's auto-escaping produces, so assertions can use plain text. */
export function decodeHtml(html: string): string {
  return html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function setCookies(res: HasHeaders): string[] {
  const raw = res.headers['set-cookie'];
  if (raw === undefined) return [];
  return Array.isArray(raw) ? (raw as string[]) : [String(raw)];
}

/** The Set-Cookie line for one cookie name, if the response set it. */
export function cookieNamed(res: HasHeaders, name: string): string | undefined {
  return setCookies(res).find((c) => c.startsWith(`${name}=`));
}

/** The value part of a Set-Cookie line. */
export function cookieValue(line: string): string {
  return line.slice(line.indexOf('=') + 1).split(';')[0]!;
}

/** True when the Set-Cookie line deletes the cookie (empty value, expired). */
export function isClearing(line: string): boolean {
  const value = cookieValue(line);
  const expires = /Expires=([^;]+)/i.exec(line)?.[1];
  const maxAge = /Max-Age=(-?\d+)/i.exec(line)?.[1];
  return value === '' && ((expires !== undefined && Date.parse(expires) < Date.now()) || (maxAge !== undefined && Number(maxAge) <= 0));
}

/** The text of the element with this id (first match, tags stripped, entities decoded). */
export function textOfId(html: string, id: string): string | undefined {
  const m = new RegExp(`<([a-z0-9]+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`, 'i').exec(html);
  return m ? decodeHtml(m[2]!.replace(/<[^>]+>/g, '')).trim() : undefined;
}

/** Whether the header shows a logged-in user, and who. */
export function loggedInAs(html: string): string | null {
  const m = /<a href="\/u\/[^"]*" class="nav-user">([^<]*?) <span/.exec(html);
  return m ? decodeHtml(m[1]!) : null;
}

export function showsLoggedOutHeader(html: string): boolean {
  return html.includes('href="/register"') && !html.includes('action="/logout"') && loggedInAs(html) === null;
}

/** Signs of a leaked stack trace or internal detail in a page. */
export function looksLikeStackTrace(text: string): boolean {
  return /\n\s+at [^\n]+:\d+:\d+/.test(text) || /node_modules|\/src\/[\w/-]+\.ts|SQLITE_|TypeError|ReferenceError/.test(text);
}
