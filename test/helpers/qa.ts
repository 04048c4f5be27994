/*
 * Helpers for the Q&A suites (questions, answers, votes, acceptance, edits). Users are
 * created directly in storage and given a session, which is much faster than registering
 * through the form with argon2 for every one of them; the requests under test still go
 * through the real routes with cookies and CSRF tokens like a browser's.
 */
import type { FastifyInstance } from 'fastify';
import { Parser } from 'htmlparser2';
import { buildApp } from '../../src/app.js';
import { loadConfig, type AppConfig } from '../../src/config.js';
import type { Storage } from '../../src/db/ports.js';
import type { Community, CommunityRole, User } from '../../src/domain/types.js';
import { Argon2idHasher } from '../../src/services/auth/password-hasher.js';
import { TestClient } from './app.js';

/**
 * A clock that moves one second forward every time it is read, so that posts created one
 * after the other never share a timestamp and every "newest"/"active" order is defined.
 * It starts at the real time so that session cookies are not already expired.
 */
export function steppingClock(stepMs = 1000): { now: () => number; advance: (ms: number) => void; peek: () => number } {
  let t = Date.now();
  return {
    now: () => (t += stepMs),
    advance: (ms) => {
      t += ms;
    },
    peek: () => t,
  };
}

/**
 * Like createTestApp, with a controllable clock, views written only on demand and a post
 * rate limit high enough for suites that send hundreds of POSTs from one address.
 */
export async function createQaApp(options: { now?: () => number; config?: Partial<AppConfig> } = {}): Promise<FastifyInstance> {
  const config = loadConfig({ NODE_ENV: 'test' }, { sqlitePath: ':memory:', seedDemo: false, postRateLimitPerMinute: 1_000_000, ...options.config });
  const app = await buildApp(config, {
    services: { hasher: new Argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }), now: options.now, viewFlushMs: 0 },
  });
  await app.ready();
  return app;
}

export async function createCommunity(
  storage: Storage,
  slug: string,
  extra: Partial<{ name: string; kind: 'interest' | 'business'; defaultLocale: 'en' | 'zh-CN' }> = {},
): Promise<Community> {
  return storage.communities.create({
    slug,
    name: extra.name ?? `Community ${slug}`,
    kind: extra.kind ?? 'interest',
    descriptionMd: `About ${slug}`,
    descriptionHtml: `<p>About ${slug}</p>`,
    defaultLocale: extra.defaultLocale ?? 'en',
  });
}

let userCounter = 0;

/** A user straight in storage (no password that works), optionally a member of communities. */
export async function storageUser(
  storage: Storage,
  username?: string,
  memberships: Array<{ community: Community; role?: CommunityRole }> = [],
  options: { isAdmin?: boolean } = {},
): Promise<User> {
  userCounter += 1;
  const name = username ?? `user${userCounter}_${Math.floor(Math.random() * 1e6)}`;
  const user = await storage.users.create({
    username: name,
    email: `u${userCounter}_${Math.floor(Math.random() * 1e9)}@example.test`,
    displayName: name,
    passwordHash: 'x',
    isAdmin: options.isAdmin ?? false,
  });
  for (const m of memberships) await storage.memberships.upsert(m.community.id, user.id, m.role ?? 'member');
  return user;
}

type CookieJarLike = { setCookie(cookie: string, domain: string, path: string): void };

/** A browser-like client already logged in as `user` (session cookie in its jar). */
export async function clientFor(app: FastifyInstance, user: User): Promise<TestClient> {
  const { token } = await app.services.auth.startSession(user);
  const client = new TestClient(app);
  // supertest connects to 127.0.0.1, so a host-only cookie for it is what a login would leave.
  (client.agent as unknown as { jar: CookieJarLike }).jar.setCookie(`session=${token}; Path=/; HttpOnly`, '127.0.0.1', '/');
  return client;
}

/** A user (in storage) who is a member of the community, with a logged-in client. */
export async function member(
  app: FastifyInstance,
  community: Community,
  username?: string,
  role: CommunityRole = 'member',
): Promise<{ user: User; client: TestClient }> {
  const user = await storageUser(app.storage, username, [{ community, role }]);
  return { user, client: await clientFor(app, user) };
}

export interface AskInput {
  title: string;
  body: string;
  tags: string;
}

let askCounter = 0;
export function askInput(overrides: Partial<AskInput> = {}): AskInput {
  askCounter += 1;
  return {
    title: `How do I reset the device number ${askCounter}?`,
    body: `I tried holding the **power** button for ten seconds (attempt ${askCounter}).`,
    tags: 'reset firmware',
    ...overrides,
  };
}

/** Asks through the form; returns the new question's id and canonical path. */
export async function askQuestion(client: TestClient, communitySlug: string, input: Partial<AskInput> = {}): Promise<{ id: string; url: string }> {
  const res = await client.post(`/c/${communitySlug}/ask`, { ...askInput(input), action: 'post' });
  if (res.status !== 303) throw new Error(`ask failed: ${res.status}\n${res.text.slice(0, 2000)}`);
  const url = String(res.headers.location);
  const m = /^\/c\/[^/]+\/q\/(\d+)\//.exec(url);
  if (!m) throw new Error(`unexpected redirect ${url}`);
  return { id: m[1]!, url };
}

/** Answers through the form; returns the answer's id (from the #a<id> anchor of the redirect). */
export async function postAnswer(client: TestClient, questionId: string, body = 'Hold the reset pin for five seconds, then release it.'): Promise<string> {
  const res = await client.post(`/q/${questionId}/answers`, { body });
  if (res.status !== 303) throw new Error(`answer failed: ${res.status}\n${res.text.slice(0, 2000)}`);
  const m = /#a(\d+)$/.exec(String(res.headers.location));
  if (!m) throw new Error(`unexpected redirect ${String(res.headers.location)}`);
  return m[1]!;
}

export async function vote(client: TestClient, postId: string, value: string) {
  return client.post(`/posts/${postId}/vote`, { value });
}

/** The score shown in the vote box of a post on a question page. */
export function shownScore(html: string, postId: string): number {
  const start = html.indexOf(`data-post="${postId}"`);
  if (start < 0) throw new Error(`no vote box for post ${postId}`);
  const m = /<span class="vote-score"[^>]*>(-?\d+)<\/span>/.exec(html.slice(start));
  if (!m) throw new Error(`no score for post ${postId}`);
  return Number(m[1]);
}

/** Answer ids in the order the question page shows them. */
export function answerOrder(html: string): string[] {
  return [...html.matchAll(/<article class="answer[^"]*" id="a(\d+)"/g)].map((m) => m[1]!);
}

/** Answer ids marked accepted on the page. */
export function acceptedAnswers(html: string): string[] {
  return [...html.matchAll(/<article class="answer accepted" id="a(\d+)"/g)].map((m) => m[1]!);
}

/** The schema.org JSON-LD object embedded in a page. */
export function jsonLdOf(html: string): Record<string, unknown> {
  const m = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no JSON-LD on the page');
  return JSON.parse(m[1]!) as Record<string, unknown>;
}

/** Rows of a question list: the text a reader sees for each question. */
export interface ListRow {
  title: string;
  url: string;
  score: number;
  answers: number;
  accepted: boolean;
  tags: string[];
  author: string;
  authorReputation: number;
  activeIso: string;
}

function decode(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function listRows(html: string): ListRow[] {
  const rows: ListRow[] = [];
  for (const m of html.matchAll(/<li class="question-row">([\s\S]*?)<\/li>\s*(?=<li class="question-row">|<\/ol>)/g)) {
    const row = m[1]!;
    const counts = [...row.matchAll(/<span class="count[^"]*"><strong>(-?\d+)<\/strong>/g)].map((c) => Number(c[1]));
    const link = /<h3><a href="([^"]+)">([\s\S]*?)<\/a><\/h3>/.exec(row);
    const author = /<span class="muted small">(?:<img class="avatar"[^>]*> )?<a href="[^"]*">([\s\S]*?)<\/a> <span class="rep">(-?\d+)<\/span>/.exec(row);
    const time = /<time datetime="([^"]+)"/.exec(row);
    rows.push({
      title: decode(link?.[2] ?? ''),
      url: decode(link?.[1] ?? ''),
      score: counts[0] ?? NaN,
      answers: counts[1] ?? NaN,
      accepted: /has-accepted/.test(row),
      tags: [...row.matchAll(/<a class="tag" href="[^"]*">([\s\S]*?)<\/a>/g)].map((t) => decode(t[1]!)),
      author: decode(author?.[1] ?? ''),
      authorReputation: Number(author?.[2] ?? NaN),
      activeIso: time?.[1] ?? '',
    });
  }
  return rows;
}

/** The id of a question from its URL in a list. */
export function idFromUrl(url: string): string {
  const m = /\/q\/(\d+)\//.exec(url);
  if (!m) throw new Error(`not a question URL: ${url}`);
  return m[1]!;
}

/* ---------- HTML safety checks (shared by the XSS suites) ---------- */

export interface ParsedElement {
  name: string;
  attribs: Record<string, string>;
}

/** Every start tag in the HTML as an HTML parser sees it (htmlparser2, the parser sanitize-html uses). */
export function elementsOf(html: string): ParsedElement[] {
  const out: ParsedElement[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        out.push({ name: name.toLowerCase(), attribs });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return out;
}

const FORBIDDEN_TAGS = new Set(['script', 'iframe', 'object', 'embed', 'style', 'base', 'meta', 'form', 'link', 'svg', 'math', 'frame', 'frameset', 'applet', 'template', 'noscript', 'input', 'button', 'textarea', 'select', 'video', 'audio', 'source', 'xmp', 'plaintext', 'isindex']);
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'poster', 'data', 'srcset', 'lowsrc', 'dynsrc', 'cite'];

/** How a browser reads a URL attribute's scheme: controls and whitespace inside are ignored. */
export function urlScheme(value: string): string | null {
  // eslint-disable-next-line no-control-regex
  const cleaned = value.replace(/[\u0000-\u0020\u007f-\u00a0]/g, '').toLowerCase();
  const m = /^([a-z][a-z0-9+.-]*):/.exec(cleaned);
  return m ? m[1]! : null;
}

/** Decodes numeric and the common named character references (enough to read a URL scheme). */
function decodeCharRefs(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&colon;/gi, ':')
    .replace(/&tab;/gi, '\t')
    .replace(/&newline;/gi, '\n')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Start tags read with a plain tokenizer: quoted values skipped over, names lower-cased. */
export function rawTags(html: string): Array<{ name: string; attrs: Array<[string, string]> }> {
  const out: Array<{ name: string; attrs: Array<[string, string]> }> = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w:-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g)) {
    const attrs: Array<[string, string]> = [];
    for (const a of m[2]!.matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
      attrs.push([a[1]!.toLowerCase(), a[2] ?? a[3] ?? a[4] ?? '']);
    }
    out.push({ name: m[1]!.toLowerCase(), attrs });
  }
  return out;
}

/**
 * Problems in a fragment of user content (stored post HTML, a comment): any element
 * outside the allowlist's spirit, any event handler or style attribute, any URL with a
 * scheme other than http(s)/mailto, any link without rel="nofollow ugc noopener".
 */
export function unsafeContentProblems(html: string): string[] {
  const problems: string[] = [];
  if (/<\s*script/i.test(html)) problems.push('contains "<script"');
  // A second, independent reading of the raw markup, in case parsers disagree.
  for (const tag of rawTags(html)) {
    if (['iframe', 'object', 'embed', 'style', 'base', 'meta', 'form', 'svg', 'math', 'link'].includes(tag.name)) problems.push(`raw <${tag.name}>`);
    for (const [attr, value] of tag.attrs) {
      if (/^on/.test(attr)) problems.push(`raw <${tag.name} ${attr}=...>`);
      const scheme = URL_ATTRIBUTES.includes(attr) ? urlScheme(decodeCharRefs(value)) : null;
      if (scheme && !['http', 'https', 'mailto'].includes(scheme)) problems.push(`raw <${tag.name} ${attr}="${value}">`);
    }
  }
  for (const el of elementsOf(html)) {
    if (FORBIDDEN_TAGS.has(el.name)) problems.push(`<${el.name}> element`);
    for (const [attr, value] of Object.entries(el.attribs)) {
      if (/^on/i.test(attr)) problems.push(`<${el.name} ${attr}=...> event handler`);
      if (attr === 'style') problems.push(`<${el.name} style=...>`);
      if (attr === 'srcdoc') problems.push(`<${el.name} srcdoc=...>`);
      if (URL_ATTRIBUTES.includes(attr)) {
        const scheme = urlScheme(value);
        if (scheme !== null && !['http', 'https', 'mailto'].includes(scheme)) problems.push(`<${el.name} ${attr}="${value}"> uses ${scheme}:`);
        if (el.name === 'img' && attr === 'src' && scheme !== null && scheme !== 'http' && scheme !== 'https') problems.push(`<img src="${value}">`);
      }
    }
    if (el.name === 'a' && el.attribs.href !== undefined && el.attribs.rel !== 'nofollow ugc noopener') {
      problems.push(`<a href="${el.attribs.href}"> without rel="nofollow ugc noopener" (rel="${el.attribs.rel ?? ''}")`);
    }
  }
  return problems;
}

/**
 * Problems in a whole rendered page: the layout's own scripts (external files from
 * /static/ and the JSON-LD data block) are expected; anything else is not.
 */
export function unsafePageProblems(html: string): string[] {
  const problems: string[] = [];
  for (const el of elementsOf(html)) {
    if (el.name === 'script') {
      const okExternal = el.attribs.src !== undefined && /^\/static\/js\/[\w-]+\.js$/.test(el.attribs.src) && Object.keys(el.attribs).every((a) => ['src', 'defer'].includes(a));
      const okData = el.attribs.src === undefined && el.attribs.type === 'application/ld+json' && Object.keys(el.attribs).length === 1;
      if (!okExternal && !okData) problems.push(`<script ${JSON.stringify(el.attribs)}>`);
    }
    if (['iframe', 'object', 'embed', 'style', 'base', 'frame', 'frameset', 'applet', 'svg', 'math'].includes(el.name)) problems.push(`<${el.name}> element`);
    // The layout's own <meta> tags carry user text in content (og:title); only http-equiv can act.
    if (el.name === 'meta' && el.attribs['http-equiv'] !== undefined) problems.push(`<meta ${JSON.stringify(el.attribs)}>`);
    for (const [attr, value] of Object.entries(el.attribs)) {
      if (/^on/i.test(attr)) problems.push(`<${el.name} ${attr}=...> event handler`);
      if (attr === 'style' || attr === 'srcdoc') problems.push(`<${el.name} ${attr}=...>`);
      if (URL_ATTRIBUTES.includes(attr)) {
        const scheme = urlScheme(value);
        if (scheme !== null && !['http', 'https', 'mailto'].includes(scheme)) problems.push(`<${el.name} ${attr}="${value}"> uses ${scheme}:`);
      }
    }
    if (el.name === 'form' && el.attribs.action !== undefined && !el.attribs.action.startsWith('/')) problems.push(`<form action="${el.attribs.action}">`);
  }
  return problems;
}

/** The body of the JSON-LD block must not be able to close its <script> element. */
export function jsonLdIsInert(html: string): boolean {
  const m = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/i.exec(html);
  if (!m) return true;
  try {
    JSON.parse(m[1]!);
  } catch {
    return false;
  }
  return !/<!--|<script|<\/script/i.test(m[1]!);
}

/* ---------- XML ---------- */

/**
 * A strict well-formedness check for the small XML documents the site serves (sitemap,
 * Atom): one root, balanced tags, quoted attributes, only the predefined or numeric
 * entities, no raw '<' or '&' in text. Throws with the position of the first problem.
 */
export function assertWellFormedXml(xml: string): void {
  const entity = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
  const checkText = (text: string, at: number) => {
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '<') throw new Error(`raw "<" at ${at + i}`);
      if (text[i] === '&' && !entity.test(text.slice(i))) throw new Error(`bad entity at ${at + i}: ${text.slice(i, i + 12)}`);
    }
  };
  let i = 0;
  if (xml.startsWith('<?xml')) {
    i = xml.indexOf('?>') + 2;
    if (i < 2) throw new Error('unterminated XML declaration');
  }
  const stack: string[] = [];
  let roots = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = lt < 0 ? xml.slice(i) : xml.slice(i, lt);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root at ${i}`);
    checkText(text, i);
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error(`unterminated tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? 'nothing'}> at ${lt}`);
    } else {
      const selfClosing = tag.endsWith('/');
      const inner = selfClosing ? tag.slice(0, -1) : tag;
      const m = /^([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*$/.exec(inner);
      if (!m) throw new Error(`malformed tag <${tag}> at ${lt}`);
      for (const a of m[2]!.matchAll(/=\s*(?:"([^"]*)"|'([^']*)')/g)) checkText(a[1] ?? a[2] ?? '', lt);
      if (stack.length === 0) roots += 1;
      if (!selfClosing) stack.push(m[1]!);
    }
    i = gt + 1;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('> <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

/** Text content of every <name> element in an XML document, entities decoded. */
export function xmlTexts(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g'))].map((m) =>
    m[1]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}
