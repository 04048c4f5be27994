import { ConfigError, loadConfig } from './config.js';
import { buildApp } from './app.js';
import { limitHeapGrowth } from './runtime/heap-growth.js';
import { seedIfEmpty } from './seed/demo-content.js';
import type { InboundSmtp } from './services/inbound/smtp-listener.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // Before the first request: the server's peak memory is mostly garbage V8 has not yet collected.
  limitHeapGrowth(config.heapGrowthPercent);

  const app = await buildApp(config);
  if (config.seedDemo) {
    const seeded = await seedIfEmpty(app.storage, app.services, config);
    if (seeded) app.log.info('Demo content created (first run)');
  }

  let inboundSmtp: InboundSmtp | null = null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing requests');
    // Force the exit if something hangs, but give in-flight requests time to finish.
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    try {
      // Stop taking mail first: a message half received is refused with 421 and retried by its sender.
      await inboundSmtp?.close();
      await app.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  // Leased jobs and (with Meilisearch) the outbox worker; app.close() stops them.
  app.services.background.start();
  if (config.inbound.smtpPort !== undefined) {
    // Imported only when configured: the SMTP server library is not loaded by instances without it.
    const { startInboundSmtp } = await import('./services/inbound/smtp-listener.js');
    inboundSmtp = await startInboundSmtp(app.services.inbound, { host: config.inbound.smtpHost, port: config.inbound.smtpPort, log: app.log });
    app.log.info(`Inbound SMTP listening on ${config.inbound.smtpHost}:${inboundSmtp.port} (support addresses like ${app.services.inbound.addresses.communityAddress('<community>')})`);
  }
  app.log.info(`Forum ready at ${config.baseUrl} (storage: ${config.storage}, search: ${config.search}, data: ${config.dataDir})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
