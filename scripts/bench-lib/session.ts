/*
 * Logging in as a real browser would: fetch the login form for its CSRF cookie and token,
 * post the form, keep the session cookie. The resulting cookie header and token are then
 * replayed by autocannon for the vote benchmark.
 */

export interface BenchSession {
  username: string;
  cookie: string;
  csrfToken: string;
}

class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

function csrfFrom(html: string): string | null {
  const m = html.match(/<meta name="csrf-token" content="([^"]+)"/);
  return m ? m[1].replace(/&amp;/g, '&') : null;
}

export async function login(baseUrl: string, username: string, password: string): Promise<BenchSession> {
  const jar = new CookieJar();
  const form = await fetch(`${baseUrl}/login`, { redirect: 'manual' });
  jar.take(form);
  const token = csrfFrom(await form.text());
  if (!token) throw new Error(`GET /login gave no csrf-token meta tag (status ${form.status})`);
  const res = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams({ identifier: username, password, next: '/', _csrf: token }).toString(),
  });
  jar.take(res);
  await res.arrayBuffer();
  if (res.status !== 303 || !jar.has('session')) throw new Error(`login as ${username} failed: status ${res.status}`);
  // A page fetched with the session gives the token the logged-in forms carry.
  const home = await fetch(`${baseUrl}/`, { headers: { cookie: jar.header() }, redirect: 'manual' });
  jar.take(home);
  const fresh = csrfFrom(await home.text()) ?? token;
  return { username, cookie: jar.header(), csrfToken: fresh };
}
