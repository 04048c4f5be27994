import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startInboundSmtp } from '../../src/services/inbound/smtp-listener.js';
import type { User } from '../../src/domain/types.js';

/*
 * Inbound support mail: N messages from verified members sent over SMTP (nodemailer, a pool of
 * connections) to the forum's listener, each becoming a question with its tags and queued
 * acknowledgement. The listener answers 250 only after the question is stored, so the time of
 * one sendMail is the message-to-question time. The baseline, measured in the same run, is an
 * SMTP listener that only reads each message: the ratio is what the forum's work costs.
 */

const TOPICS = [
  ['grinder', 'My burr grinder clicks loudly when grinding espresso beans', 'Clean the burrs; a stone in the beans makes it click.'],
  ['milk', 'Milk does not foam with the steam wand', 'Use cold whole milk and keep the wand tip just under the surface.'],
  ['descaling', 'Machine is slow and water tastes of lime', 'Descale with citric acid every two months.'],
  ['espresso', 'Espresso shot runs too fast and tastes sour', 'Grind finer and tamp evenly; aim for 25 seconds.'],
  ['咖啡豆', '咖啡豆应该怎样保存才新鲜', '密封避光保存，开封后两周内用完。'],
] as const;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function sendAll(port: number, mails: Array<{ from: string; to: string; subject: string; text: string }>, connections: number): Promise<{ ms: number; latencies: number[] }> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: connections, maxMessages: Infinity });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = next++; i < mails.length; i = next++) {
        const t0 = performance.now();
        await transport.sendMail(mails[i]!);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const ms = performance.now() - started;
  transport.close();
  return { ms, latencies: latencies.sort((a, b) => a - b) };
}

async function baseline(mails: Array<{ from: string; to: string; subject: string; text: string }>, connections: number) {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  const result = await sendAll(port, mails, connections);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return result;
}

export async function benchInbound(options: { messages: number; connections: number; json?: string }): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-inbound-bench-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, BASE_URL: 'http://forum.bench', INBOUND_MAX_PER_HOUR: '100000', LOG_LEVEL: 'silent' }, { seedDemo: false });
  const app = await buildApp(config);
  await app.ready();
  try {
    const community = await app.storage.communities.create({ slug: 'coffee', name: 'Coffee', kind: 'business', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
    const senders: User[] = [];
    for (let i = 0; i < Math.min(50, options.messages); i++) {
      const user = await app.storage.users.create({ username: `sender${i}`, email: `sender${i}@bench.test`, displayName: `Sender ${i}`, passwordHash: 'x' });
      await app.storage.memberships.upsert(community.id, user.id, 'member');
      const hash = i.toString(16).padStart(64, '0');
      await app.storage.mail.accounts.issueToken({ hash, userId: user.id, purpose: 'verify', email: user.email, now: Date.now(), expiresAt: Date.now() + 60_000 }, { idempotencyKey: `bench-verify:${hash}`, to: user.email, userId: user.id, kind: 'verify', locale: 'en', subject: 'v', html: '', text: 'v', headers: {}, now: Date.now() });
      await app.storage.mail.accounts.consumeVerify(hash, Date.now());
      senders.push(user);
    }
    // Answered threads to match against (tags, best answers).
    for (const [tag, title, answer] of TOPICS) {
      const asked = await app.services.questions.ask(senders[0]!, 'coffee', { title, body: `${title}. What should I do?`, tags: tag });
      const a = await app.services.questions.answer(senders[1 % senders.length]!, asked.question.id, answer);
      await app.services.questions.accept(senders[0]!, asked.question.id, a.answer.id);
    }
    const mails = Array.from({ length: options.messages }, (_, i) => {
      const [, title] = TOPICS[i % TOPICS.length]!;
      return { from: senders[i % senders.length]!.email, to: 'support+coffee@forum.bench', subject: `${title} (case ${i})`, text: `${title}. It started this week, case number ${i}.\n\n-- \nSender` };
    });
    const listener = await startInboundSmtp(app.services.inbound, { host: '127.0.0.1', port: 0 });
    const run = await sendAll(listener.port, mails, options.connections);
    await listener.close();
    const base = await baseline(mails, options.connections);
    const acks = (await app.storage.mail.queue.list(0, options.messages + 100)).filter((m) => m.kind === 'inbound-ack').length;
    const result = {
      messages: options.messages,
      connections: options.connections,
      questionsCreated: acks,
      messagesPerSecond: Math.round((options.messages / run.ms) * 1000 * 10) / 10,
      p50Ms: Math.round(percentile(run.latencies, 50) * 10) / 10,
      p95Ms: Math.round(percentile(run.latencies, 95) * 10) / 10,
      baselineMessagesPerSecond: Math.round((options.messages / base.ms) * 1000 * 10) / 10,
      baselineP50Ms: Math.round(percentile(base.latencies, 50) * 10) / 10,
    };
    console.log(`\nInbound mail: ${result.messages} messages over SMTP, ${result.connections} connections (questions created: ${result.questionsCreated})`);
    console.log('| measure | forum listener | read-only SMTP baseline | ratio |');
    console.log('|---|---:|---:|---:|');
    console.log(`| messages/s | ${result.messagesPerSecond} | ${result.baselineMessagesPerSecond} | ${(result.messagesPerSecond / result.baselineMessagesPerSecond).toFixed(2)} |`);
    console.log(`| message-to-question p50 (ms) | ${result.p50Ms} | ${result.baselineP50Ms} | ${(result.p50Ms / Math.max(0.1, result.baselineP50Ms)).toFixed(1)} |`);
    console.log(`| message-to-question p95 (ms) | ${result.p95Ms} | | |`);
    if (options.json) fs.writeFileSync(options.json, JSON.stringify({ inbound: result }, null, 2));
    return result.questionsCreated === options.messages ? 0 : 1;
  } finally {
    await app.services.background.stop();
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
