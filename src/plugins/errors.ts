import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { fastifyCookie } from '@fastify/cookie';
import { DomainError, TooManyRequestsError } from '../domain/errors.js';
import type { Locale } from '../domain/types.js';
import { wantsJson } from '../http/form.js';
import { isLocale, localeFromAcceptLanguage, translator } from '../i18n/index.js';
import { escapeHtml } from '../markdown/render.js';
import { LOCALE_COOKIE } from './request-context.js';

const titleKeyByStatus: Record<number, string> = {
  400: 'error.400.title',
  401: 'error.401.title',
  403: 'error.403.title',
  404: 'error.404.title',
  405: 'error.400.title',
  409: 'error.409.title',
  413: 'error.413.title',
  414: 'error.400.title',
  415: 'error.400.title',
  429: 'error.429.title',
  500: 'error.500.title',
  503: 'error.503.title',
};

const defaultMessageByStatus: Record<number, string> = {
  400: 'error.badInput',
  401: 'error.loginRequired',
  403: 'error.forbidden',
  404: 'error.notFound',
  409: 'error.conflict',
  413: 'error.tooLarge',
  429: 'error.tooManyRequests',
  500: 'error.internal',
};

interface ErrorView {
  status: number;
  messageKey: string;
  params: Record<string, string | number>;
  retryAfter?: number;
}

/**
 * How long @fastify/rate-limit asks the client to wait, in whole seconds. The plugin sets
 * Retry-After on the reply before it throws (and a custom errorResponseBuilder may put the
 * remaining `ttl` in milliseconds on the error), so the page can quote the real figure.
 */
function rateLimitWaitSeconds(error: unknown, reply: FastifyReply | undefined): number | undefined {
  const ttl = (error as { ttl?: unknown }).ttl;
  if (typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0) return Math.ceil(ttl / 1000);
  for (const name of ['retry-after', 'x-ratelimit-reset']) {
    const raw = reply?.getHeader(name);
    const seconds = Number(Array.isArray(raw) ? raw[0] : raw);
    if (Number.isInteger(seconds) && seconds > 0) return seconds;
  }
  return undefined;
}

/** Maps anything thrown to a status and a catalogue message; never exposes internals. */
function classify(error: FastifyError | Error, reply?: FastifyReply): ErrorView {
  if (error instanceof DomainError) {
    return {
      status: error.status,
      messageKey: error.messageKey,
      params: error.params,
      retryAfter: error instanceof TooManyRequestsError ? error.retryAfterSeconds : undefined,
    };
  }
  const fe = error as FastifyError & { validation?: unknown };
  const code = fe.code ?? '';
  if (code.startsWith('FST_CSRF')) return { status: 403, messageKey: 'error.csrf', params: {} };
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) return { status: 413, messageKey: 'error.tooLarge', params: {} };
  if (fe.statusCode === 429) {
    const seconds = rateLimitWaitSeconds(error, reply);
    // Quoting a made-up wait would send people back too early or keep them away too long.
    if (seconds === undefined) return { status: 429, messageKey: 'error.tooManyRequestsSoon', params: {} };
    return { status: 429, messageKey: 'error.tooManyRequests', params: { seconds, count: seconds }, retryAfter: seconds };
  }
  if (fe.validation) return { status: 400, messageKey: 'error.badInput', params: {} };
  const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
  return { status, messageKey: defaultMessageByStatus[status] ?? 'error.badInput', params: {} };
}

export async function sendErrorPage(request: FastifyRequest, reply: FastifyReply, view: ErrorView): Promise<FastifyReply> {
  // The request hooks may not have run (e.g. a body parse failure), so derive the locale here too.
  if (!request.t) {
    const cookieLocale = request.cookies?.lang;
    request.locale = isLocale(cookieLocale) ? cookieLocale : localeFromAcceptLanguage(request.headers['accept-language']);
    request.t = translator(request.locale);
  }
  const t = request.t;
  if (view.retryAfter) reply.header('retry-after', String(view.retryAfter));
  const message = t(view.messageKey, view.params);
  if (wantsJson(request.headers.accept)) {
    return reply.code(view.status).type('application/json').send({ error: message, status: view.status });
  }
  return reply.page('errors/error', { status: view.status, message, heading: t(titleKeyByStatus[view.status] ?? 'error.400.title') }, {
    title: t(titleKeyByStatus[view.status] ?? 'error.400.title'),
    status: view.status,
  });
}

/** Reads the language cookie without @fastify/cookie's hook, which has not run for these requests. */
function cookieLocale(cookieHeader: string | undefined): Locale | undefined {
  if (!cookieHeader) return undefined;
  try {
    const value = fastifyCookie.parse(cookieHeader)[LOCALE_COOKIE];
    return isLocale(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/*
 * Helmet's onRequest hook has not run for requests refused before routing, so these pages
 * carry their own headers. The page has no script, form or frame, hence the tighter policy.
 */
const MINIMAL_PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'";

export const minimalErrorPageHeaders: Readonly<Record<string, string>> = {
  // Browsers ignore frame-ancestors in a <meta> policy, so it is only in the header.
  'content-security-policy': `${MINIMAL_PAGE_CSP}; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * A self-contained error page for requests that fail before any plugin runs. The language
 * comes from the `lang` cookie when given, else from Accept-Language, as on every other page.
 * The policy is repeated in a <meta> so that the page stays locked down even when the caller
 * sends it without minimalErrorPageHeaders.
 */
export function minimalErrorPage(acceptLanguage: string | undefined, status: 400 | 414, cookieHeader?: string): string {
  const locale = cookieLocale(cookieHeader) ?? localeFromAcceptLanguage(acceptLanguage);
  const t = translator(locale);
  const title = escapeHtml(t('error.400.title'));
  const message = escapeHtml(t(status === 414 ? 'error.uriTooLong' : 'error.badInput'));
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${MINIMAL_PAGE_CSP}"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><link rel="stylesheet" href="/static/css/site.css"></head><body><main id="main" class="container error-page"><p class="error-status">${status}</p><h1 id="error-heading">${title}</h1><p>${message}</p><p><a href="/">${escapeHtml(t('error.backHome'))}</a></p></main></body></html>`;
}

/** The whole answer for Fastify's frameworkErrors: status, security headers and the page. */
export function sendMinimalErrorPage(request: FastifyRequest, reply: FastifyReply, status: 400 | 414): FastifyReply {
  const header = (name: string) => {
    const v = request.headers[name];
    return Array.isArray(v) ? v.join('; ') : v;
  };
  return reply
    .code(status)
    .headers(minimalErrorPageHeaders)
    .type('text/html; charset=utf-8')
    .send(minimalErrorPage(header('accept-language'), status, header('cookie')));
}

export default fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      const view = classify(error, reply);
      if (view.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ status: view.status, code: (error as FastifyError).code }, 'request refused');
      try {
        return await sendErrorPage(request, reply, view);
      } catch (renderError) {
        // The error page itself failed: a minimal, safe response rather than a stack trace.
        request.log.error({ err: renderError }, 'error page failed');
        return reply.code(view.status).type('text/plain; charset=utf-8').send(`${view.status}`);
      }
    });

    app.setNotFoundHandler(async (request, reply) => sendErrorPage(request, reply, { status: 404, messageKey: 'error.notFound', params: {} }));
  },
  { name: 'errors', dependencies: ['views'] },
);
