import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { AppConfig } from './config.js';
import type { Storage } from './db/ports.js';
import { createStorageAsync } from './db/index.js';
import { createServices, type ServiceOverrides } from './services/index.js';
import storagePlugin from './plugins/storage.js';
import securityPlugin from './plugins/security.js';
import requestContextPlugin from './plugins/request-context.js';
import viewsPlugin, { defaultViewsDir } from './plugins/views.js';
import pageCachePlugin from './plugins/page-cache.js';
import errorsPlugin, { sendMinimalErrorPage } from './plugins/errors.js';
import { handleClientError } from './http/client-error.js';
import { projectRoot } from './paths.js';
import healthRoutes from './routes/health/index.js';
import prefsRoutes from './routes/prefs/index.js';
import homeRoutes from './routes/home/index.js';
import authRoutes from './routes/auth/index.js';
import communityRoutes from './routes/communities/index.js';
import userRoutes from './routes/users/index.js';
import adminRoutes from './routes/admin/index.js';
import adminSynonymRoutes from './routes/admin/synonyms.js';
import searchRoutes from './routes/search/index.js';
import questionRoutes from './routes/questions/index.js';
import supportRoutes from './routes/support/index.js';
import supportDashboardRoutes from './routes/support/dashboard.js';
import faqPublicRoutes from './routes/faq/public.js';
import faqModeratorRoutes from './routes/faq/moderator.js';
import feedRoutes from './routes/feeds/index.js';
import moderationPostRoutes from './routes/moderation/posts.js';
import moderationAuditRoutes from './routes/moderation/audit.js';
import moderationReviewRoutes from './routes/moderation/review.js';
import moderationSuspensionRoutes from './routes/moderation/suspensions.js';
import moderationSettingsRoutes from './routes/moderation/settings.js';

import { loggerOptions, OneLineRequestLog } from './logging.js';
import adminMailRoutes from './routes/admin/mail.js';
import unsubscribeRoutes from './routes/mail/unsubscribe.js';
import accountMailRoutes from './routes/account/mail.js';
import notificationRoutes from './routes/notifications/index.js';
import inboundEmailRoutes from './routes/inbound/email.js';
import inboundConfirmRoutes from './routes/inbound/confirm.js';
import newsRoutes from './routes/news/index.js';

export interface BuildOptions {
  /** Use this storage instead of opening the configured one (tests share one in-memory db). */
  storage?: Storage;
  services?: ServiceOverrides;
  logger?: boolean | object;
}

/** Builds the whole application without listening, so tests can inject requests. */
export async function buildApp(config: AppConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config),
    logController: new OneLineRequestLog(),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Route params longer than this are refused with 414 rather than processed.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Errors Fastify raises before routing (over-long or badly encoded URLs) get the same
    // HTML error page as everything else instead of Fastify's JSON.
    // Requests refused by Node's parser (a URL longer than the header limit gets 414).
    clientErrorHandler: handleClientError,
    frameworkErrors: (error, request, reply) => {
      // Plugins (views, cookies) have not run for these requests, so the page is minimal.
      const status = error.statusCode === 414 ? 414 : 400;
      sendMinimalErrorPage(request, reply as FastifyReply, status);
    },
  });

  const storage = options.storage ?? (await createStorageAsync(config));
  const services = createServices(storage, config, { log: app.log, ...options.services });

  await app.register(storagePlugin, { storage, services });
  await app.register(securityPlugin, { config });
  await app.register(requestContextPlugin, { config });
  await app.register(pageCachePlugin, { config: config.pageCache });
  await app.register(viewsPlugin, { config, viewsDir: defaultViewsDir });
  await app.register(errorsPlugin);
  await app.register(fastifyStatic, { root: path.join(projectRoot, 'static'), prefix: '/static/', maxAge: config.env === 'production' ? '1d' : 0 });

  await app.register(healthRoutes);
  await app.register(prefsRoutes, { secureCookies: config.secureCookies });
  await app.register(homeRoutes);
  await app.register(authRoutes, { loginRateLimitPerMinute: Math.max(config.loginMaxAttemptsPerIp * 3, 30), postRateLimitPerMinute: config.postRateLimitPerMinute });
  await app.register(communityRoutes);
  await app.register(userRoutes);
  await app.register(adminRoutes);
  await app.register(adminSynonymRoutes);
  await app.register(searchRoutes, { secureCookies: config.secureCookies });
  await app.register(questionRoutes, { baseUrl: config.baseUrl, postRateLimitPerMinute: config.postRateLimitPerMinute });
  await app.register(faqPublicRoutes, { baseUrl: config.baseUrl, secureCookies: config.secureCookies });
  await app.register(faqModeratorRoutes);
  await app.register(feedRoutes, { baseUrl: config.baseUrl });
  await app.register(moderationPostRoutes, { postRateLimitPerMinute: config.postRateLimitPerMinute });
  await app.register(moderationAuditRoutes);
  await app.register(moderationReviewRoutes, { postRateLimitPerMinute: config.postRateLimitPerMinute });
  await app.register(adminMailRoutes, { mailDir: config.mail.dir, transport: config.mail.transport });
  await app.register(unsubscribeRoutes);
  await app.register(accountMailRoutes, { postRateLimitPerMinute: config.postRateLimitPerMinute });
  await app.register(supportRoutes);
  await app.register(supportDashboardRoutes);
  await app.register(notificationRoutes);
  await app.register(newsRoutes, { postRateLimitPerMinute: config.postRateLimitPerMinute });
  await app.register(moderationSuspensionRoutes, { postRateLimitPerMinute: config.postRateLimitPerMinute });
  await app.register(moderationSettingsRoutes);
  await app.register(inboundEmailRoutes, { secret: config.inbound.secret, maxBytes: config.inbound.maxBytes });
  await app.register(inboundConfirmRoutes, { postRateLimitPerMinute: config.postRateLimitPerMinute });

  return app;
}
