import path from 'node:path';

export type StorageBackend = 'sqlite' | 'mongo';
export type SearchBackend = 'sqlite-fts' | 'meili';

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  baseUrl: string;
  /** True when the public URL is https: session cookies then carry Secure. */
  secureCookies: boolean;
  dataDir: string;
  /** ':memory:' in tests; otherwise a file inside dataDir. */
  sqlitePath: string;
  storage: StorageBackend;
  search: SearchBackend;
  mongodbUri?: string;
  meiliUrl?: string;
  meiliMasterKey?: string;
  /** The Meilisearch index the forum owns (several forums can share one server). */
  meiliIndex: string;
  cookieSecret: string;
  bodyLimitBytes: number;
  seedDemo: boolean;
  logLevel: string;
  /** Per-IP and per-account login throttling. */
  loginMaxAttemptsPerIp: number;
  loginMaxAttemptsPerAccount: number;
  loginWindowSeconds: number;
  /** Per-route request rate limits (requests per minute per IP). */
  postRateLimitPerMinute: number;
  trustProxy: boolean;
  /**
   * New-account trust limits (links, questions per day, downvote reputation, vote rate).
   * On by default; the test environment turns them off so suites about other features can
   * use fresh accounts freely (the moderation suites turn them back on).
   */
  trustLimits: boolean;
  /** Outbound mail: .eml files under DATA_DIR/mail by default, SMTP when SMTP_URL is set. */
  mail: MailConfig;
  /** The anonymous page cache (plugins/page-cache.ts): PAGE_CACHE=off turns it off. */
  pageCache: PageCacheConfig;
  /**
   * What every member's question page shares (thread data, rendered thread HTML), kept while
   * nothing is written and THREAD_CACHE_TTL_MS at most (services/qa/thread-reader.ts);
   * THREAD_CACHE=off turns it off.
   */
  threadCache: { ttlMs: number; maxEntries: number };
  /**
   * HEAP_GROWTH_PERCENT: how far V8's old generation may grow past what the last full
   * collection kept (src/runtime/heap-growth.ts); 0 leaves it to V8 (up to 300 %).
   */
  heapGrowthPercent: number;
  /** Support e-mail in (issue 11): the SMTP listener and POST /inbound/email, both off unless configured. */
  inbound: InboundConfig;
}

export interface PageCacheConfig {
  enabled: boolean;
  /** The longest a page is served from this instance's cache (the bound on staleness across instances). */
  ttlMs: number;
  /** Memory for kept pages; least recently used pages leave first. */
  maxBytes: number;
}

export interface InboundConfig {
  /** INBOUND_SMTP_PORT: the SMTP listener's port; unset = no listener. */
  smtpPort?: number;
  /** INBOUND_SMTP_HOST, default 0.0.0.0. */
  smtpHost: string;
  /** INBOUND_SECRET: the shared secret of POST /inbound/email; unset = the endpoint answers 404. */
  secret?: string;
  /** INBOUND_DOMAIN: the domain of the support and reply addresses (default: BASE_URL's host). */
  domain: string;
  /** INBOUND_ADDRESS_TEMPLATE: a community's address, {community} = its slug, {domain} = domain. */
  addressTemplate: string;
  /** INBOUND_MAX_BYTES: larger messages are refused (SMTP 552, HTTP 413). */
  maxBytes: number;
  /** INBOUND_MAX_PER_HOUR: messages accepted per sender address per hour. */
  maxPerSenderPerHour: number;
}

export interface MailConfig {
  transport: 'file' | 'smtp';
  /** smtp:// or smtps:// with credentials in the URL; only for transport 'smtp'. */
  smtpUrl?: string;
  /** The From header: "Name <address>" or an address. */
  from: string;
  /** Where the file transport writes (DATA_DIR/mail). */
  dir: string;
  /** Attempts before a mail is marked failed for good. */
  maxAttempts: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function intFrom(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    problems.push(`${name} must be a whole number between ${min} and ${max} (got "${raw}")`);
    return fallback;
  }
  const value = Number(raw);
  if (value < min || value > max) problems.push(`${name} must be between ${min} and ${max} (got ${value})`);
  return value;
}

function boolFrom(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}

/** Master keys printed in this repository (compose, CI, docs) and in Meilisearch's own examples. */
export const PUBLISHED_MEILI_KEYS: ReadonlySet<string> = new Set(['contract-tests-master-key', 'masterKey', 'MASTER_KEY', 'aSampleMasterKey']);

/**
 * Reads and checks every setting at once so that a misconfigured deployment fails at
 * startup with the full list of problems rather than on the first request.
 */
export function loadConfig(env: Env = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnv}")`);
  }
  const port = intFrom(env, 'PORT', 3000, 0, 65535, problems);
  const host = env.HOST && env.HOST.trim() !== '' ? env.HOST.trim() : '0.0.0.0';
  const baseUrlRaw = env.BASE_URL && env.BASE_URL.trim() !== '' ? env.BASE_URL.trim() : `http://localhost:${port}`;
  let baseUrl = baseUrlRaw.replace(/\/+$/, '');
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push(`BASE_URL must be an http(s) URL (got "${baseUrlRaw}")`);
  } catch {
    problems.push(`BASE_URL must be an absolute URL such as https://forum.example.com (got "${baseUrlRaw}")`);
    baseUrl = `http://localhost:${port}`;
  }
  const dataDir = path.resolve(env.DATA_DIR && env.DATA_DIR.trim() !== '' ? env.DATA_DIR : './data');

  const mongodbUri = env.MONGODB_URI?.trim() || undefined;
  const meiliUrl = env.MEILI_URL?.trim() || undefined;
  const meiliMasterKey = env.MEILI_MASTER_KEY?.trim() || undefined;
  if (mongodbUri && !/^mongodb(\+srv)?:\/\//.test(mongodbUri)) {
    problems.push('MONGODB_URI must start with mongodb:// or mongodb+srv://');
  }
  if (meiliUrl) {
    try {
      new URL(meiliUrl);
    } catch {
      problems.push(`MEILI_URL must be an absolute URL (got "${meiliUrl}")`);
    }
  }
  if (mongodbUri && !meiliUrl) {
    problems.push('MONGODB_URI is set but MEILI_URL is not: the MongoDB backend needs Meilisearch for search (set MEILI_URL and MEILI_MASTER_KEY)');
  }
  if (meiliUrl && nodeEnv === 'production' && !meiliMasterKey) {
    problems.push('MEILI_MASTER_KEY must be set in production: Meilisearch refuses unauthenticated requests when it runs with a master key');
  } else if (meiliUrl && nodeEnv === 'production' && meiliMasterKey && (PUBLISHED_MEILI_KEYS.has(meiliMasterKey) || Buffer.byteLength(meiliMasterKey) < 16)) {
    // Anyone who reads the repository knows these keys; a short key is refused by Meilisearch's own production mode.
    problems.push('MEILI_MASTER_KEY is a published example key or shorter than 16 bytes: set a random one in production (openssl rand -hex 16)');
  }
  const meiliIndex = env.MEILI_INDEX?.trim() || 'forum';
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(meiliIndex)) {
    problems.push(`MEILI_INDEX may hold only letters, digits, - and _ (got "${meiliIndex}")`);
  }

  const mail = mailFrom(env, dataDir, baseUrl, problems);
  const inbound = inboundFrom(env, baseUrl, problems);

  const cookieSecret = env.COOKIE_SECRET?.trim() || '';
  if (nodeEnv === 'production' && cookieSecret.length < 32) {
    problems.push('COOKIE_SECRET must be set to at least 32 random characters in production');
  }

  const config: AppConfig = {
    env: nodeEnv as AppConfig['env'],
    host,
    port,
    baseUrl,
    secureCookies: baseUrl.startsWith('https:'),
    dataDir,
    sqlitePath: path.join(dataDir, 'forum.sqlite'),
    storage: mongodbUri ? 'mongo' : 'sqlite',
    search: meiliUrl ? 'meili' : 'sqlite-fts',
    mongodbUri,
    meiliUrl,
    meiliMasterKey,
    meiliIndex,
    cookieSecret: cookieSecret || 'development-only-cookie-secret-change-me-please',
    bodyLimitBytes: intFrom(env, 'BODY_LIMIT_BYTES', 256 * 1024, 1024, 50 * 1024 * 1024, problems),
    // Demo accounts share a published password: never create them in production unless asked.
    seedDemo: boolFrom(env, 'SEED_DEMO', nodeEnv !== 'production', problems),
    logLevel: env.LOG_LEVEL?.trim() || (nodeEnv === 'test' ? 'silent' : 'info'),
    loginMaxAttemptsPerIp: intFrom(env, 'LOGIN_MAX_ATTEMPTS_PER_IP', 20, 1, 100000, problems),
    loginMaxAttemptsPerAccount: intFrom(env, 'LOGIN_MAX_ATTEMPTS_PER_ACCOUNT', 5, 1, 100000, problems),
    loginWindowSeconds: intFrom(env, 'LOGIN_WINDOW_SECONDS', 900, 1, 86400, problems),
    postRateLimitPerMinute: intFrom(env, 'POST_RATE_LIMIT_PER_MINUTE', 120, 1, 1000000, problems),
    trustProxy: boolFrom(env, 'TRUST_PROXY', false, problems),
    mail,
    inbound,
    trustLimits: boolFrom(env, 'TRUST_LIMITS', nodeEnv !== 'test', problems),
    pageCache: {
      enabled: boolFrom(env, 'PAGE_CACHE', true, problems),
      ttlMs: intFrom(env, 'PAGE_CACHE_TTL_MS', 5000, 100, 300_000, problems),
      maxBytes: intFrom(env, 'PAGE_CACHE_MAX_MB', 64, 1, 4096, problems) * 1024 * 1024,
    },
    threadCache: {
      ttlMs: boolFrom(env, 'THREAD_CACHE', true, problems) ? intFrom(env, 'THREAD_CACHE_TTL_MS', 10_000, 100, 300_000, problems) : 0,
      maxEntries: intFrom(env, 'THREAD_CACHE_ENTRIES', 2000, 10, 1_000_000, problems),
    },
    // 100: the heap stays within about twice what is live (peak RSS under the benchmark's
    // search load 396 -> 290 MiB), where V8 alone let garbage reach 3-4x (docs/decisions.md).
    heapGrowthPercent: intFrom(env, 'HEAP_GROWTH_PERCENT', 100, 0, 1000, problems),
    ...overrides,
  };
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${config.logLevel}")`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The URL with its password hidden, for error messages that end up in logs. */
function redactUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;

function mailFrom(env: Env, dataDir: string, baseUrl: string, problems: string[]): MailConfig {
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl) {
    let ok = false;
    try {
      const u = new URL(smtpUrl);
      ok = (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
    } catch {
      ok = false;
    }
    if (!ok) problems.push(`SMTP_URL must be an smtp:// or smtps:// URL with a host, such as smtps://user:password@mail.example.com:465 (got "${redactUrl(smtpUrl)}")`);
  }
  const host = (() => {
    try {
      return new URL(baseUrl).hostname || 'localhost';
    } catch {
      return 'localhost';
    }
  })();
  const from = env.MAIL_FROM?.trim() || `Community Help <no-reply@${host.includes('.') ? host : `${host}.localdomain`}>`;
  const address = /<([^<>]*)>\s*$/.exec(from)?.[1] ?? from;
  if (!ADDRESS.test(address.trim())) problems.push(`MAIL_FROM must be an address or "Name <address>" (got "${from}")`);
  return {
    transport: smtpUrl ? 'smtp' : 'file',
    smtpUrl,
    from,
    dir: path.join(dataDir, 'mail'),
    maxAttempts: intFrom(env, 'MAIL_MAX_ATTEMPTS', 6, 1, 50, problems),
  };
}

function inboundFrom(env: Env, baseUrl: string, problems: string[]): InboundConfig {
  const rawPort = env.INBOUND_SMTP_PORT?.trim();
  const smtpPort = rawPort ? intFrom(env, 'INBOUND_SMTP_PORT', 0, 0, 65535, problems) : undefined;
  const secret = env.INBOUND_SECRET?.trim() || undefined;
  if (secret !== undefined && Buffer.byteLength(secret) < 16) problems.push('INBOUND_SECRET must be at least 16 characters (openssl rand -hex 16)');
  let host = 'localhost';
  try {
    host = new URL(baseUrl).hostname || 'localhost';
  } catch {
    // BASE_URL's own problem is reported already.
  }
  const domain = (env.INBOUND_DOMAIN?.trim() || host).toLowerCase();
  if (!/^[a-z0-9.-]+$/.test(domain)) problems.push(`INBOUND_DOMAIN must be a domain name such as help.example.com (got "${domain}")`);
  const addressTemplate = (env.INBOUND_ADDRESS_TEMPLATE?.trim() || 'support+{community}@{domain}').toLowerCase();
  const m = /^([^@\s]+)@([^@\s]+)$/.exec(addressTemplate);
  if (!m || !m[1]!.includes('{community}') || m[1]!.split('{community}').length !== 2 || m[2]!.includes('{community}')) {
    problems.push(`INBOUND_ADDRESS_TEMPLATE must be an address whose local part holds {community} once, such as support+{community}@{domain} (got "${addressTemplate}")`);
  }
  return {
    smtpPort,
    smtpHost: env.INBOUND_SMTP_HOST?.trim() || '0.0.0.0',
    secret,
    domain,
    addressTemplate,
    maxBytes: intFrom(env, 'INBOUND_MAX_BYTES', 10 * 1024 * 1024, 1024, 50 * 1024 * 1024, problems),
    maxPerSenderPerHour: intFrom(env, 'INBOUND_MAX_PER_HOUR', 10, 1, 100000, problems),
  };
}
