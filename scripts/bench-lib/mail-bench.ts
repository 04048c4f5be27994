/*
 * Mail queue throughput (issue 11): how many queued messages per second the real worker
 * (MailWorker: claim a leased batch, build the MIME message with nodemailer, write the .eml,
 * mark it sent) delivers to the embedded file transport, on a throw-away SQLite database.
 *
 *   npm run bench -- --mail                     (2,000 messages)
 *   npx tsx scripts/bench-lib/mail-bench.ts [--count N] [--json FILE]
 *
 * Like the HTTP figures (DESIGN.md section 10), the result is also given as a ratio to a
 * trivial baseline measured in the same run: writing the same number of files of the same
 * size with fs.writeFile, the least any file transport must do.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { MailComposer } from '../../src/services/mail/compose.js';
import { MailWorker } from '../../src/services/mail/mail-worker.js';
import { FileMailTransport } from '../../src/services/mail/transport.js';
import { positiveInt } from './cli.js';

export interface MailBenchResult {
  messages: number;
  enqueuePerSecond: number;
  sendPerSecond: number;
  msPerMessage: number;
  baselineFilesPerSecond: number;
  ratioToBaseline: number;
  averageEmlBytes: number;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function measureMail(count: number): Promise<MailBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-mail-bench-'));
  const storage = createSqliteStorage(path.join(dir, 'forum.sqlite'));
  try {
    // Queue rows reference their recipient's account.
    const member = await storage.users.create({ username: 'bench_reader', email: 'reader@example.test', displayName: 'bench_reader', passwordHash: 'x', isAdmin: false });
    const composer = new MailComposer('http://bench.localhost', 'bench-secret-bench-secret-bench-secret');
    // Mails as notifications look: both parts, both languages, a quoted answer, the unsubscribe headers.
    const mails = Array.from({ length: count }, (_, i) =>
      composer.compose(
        {
          to: `member${i}@example.test`,
          userId: member.id,
          locale: i % 2 === 0 ? 'en' : 'zh-CN',
          kind: 'answer',
          idempotencyKey: `bench:${i}`,
          subject: i % 2 === 0 ? `New answer: How long should beans rest after roasting? #${i}` : `新回答：烘焙后的咖啡豆要养多久？#${i}`,
          heading: i % 2 === 0 ? 'bob answered your question' : 'bob 回答了你的问题',
          paragraphs: ['How long should beans rest after roasting?'],
          quote: 'Let them rest 12 to 24 hours for filter, and up to a week for espresso. '.repeat(4),
          action: { url: `/c/home-coffee/q/${i + 1}/rest?a=${i + 2}`, label: 'Open the thread' },
        },
        Date.now(),
      ),
    );
    const enqueueSeconds = await seconds(async () => {
      for (const mail of mails) await storage.mail.queue.enqueue(mail);
    });

    const mailDir = path.join(dir, 'mail');
    const transport = new FileMailTransport(mailDir);
    const worker = new MailWorker(storage.mail.queue, transport, 'bench', { from: 'Community Help <no-reply@bench.localhost>', messageIdHost: 'bench.localhost', maxAttempts: 6 });
    let sent = 0;
    const sendSeconds = await seconds(async () => {
      sent = (await worker.drain()).sent;
    });
    await worker.stop();
    if (sent !== count) throw new Error(`the worker sent ${sent} of ${count} messages`);
    const files = fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml'));
    if (files.length !== count) throw new Error(`${files.length} .eml files for ${count} messages`);
    const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(mailDir, f)).size, 0);
    const averageEmlBytes = bytes / count;

    // The trivial baseline: the same number of files of the same size, written and renamed as the transport does.
    const baselineDir = path.join(dir, 'baseline');
    fs.mkdirSync(baselineDir);
    const payload = Buffer.alloc(Math.round(averageEmlBytes), 'x');
    const baselineSeconds = await seconds(async () => {
      for (let i = 0; i < count; i++) {
        const file = path.join(baselineDir, `${i}.eml`);
        await fsp.writeFile(`${file}.tmp`, payload);
        await fsp.rename(`${file}.tmp`, file);
      }
    });

    const sendPerSecond = count / sendSeconds;
    const baselineFilesPerSecond = count / baselineSeconds;
    return {
      messages: count,
      enqueuePerSecond: count / enqueueSeconds,
      sendPerSecond,
      msPerMessage: (sendSeconds * 1000) / count,
      baselineFilesPerSecond,
      ratioToBaseline: sendPerSecond / baselineFilesPerSecond,
      averageEmlBytes,
    };
  } finally {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function mailReport(r: MailBenchResult): string {
  return [
    `Mail queue throughput (${fmt(r.messages)} messages, embedded SQLite queue, file transport, average .eml ${fmt(r.averageEmlBytes / 1024, 1)} KiB)`,
    '',
    '| step | messages/s | ratio to baseline |',
    '|---|---:|---:|',
    `| enqueue (queue row with idempotency key) | ${fmt(r.enqueuePerSecond)} | |`,
    `| send: claim, build MIME, write .eml, mark sent | ${fmt(r.sendPerSecond)} (${fmt(r.msPerMessage, 2)} ms each) | ${fmt(r.ratioToBaseline, 3)} |`,
    `| baseline: write + rename a file of the same size | ${fmt(r.baselineFilesPerSecond)} | 1.000 |`,
  ].join('\n');
}

/** Entry point for `npm run bench -- --mail`: prints the table, optionally writes JSON; returns the exit code. */
export async function benchMail(options: { count?: number; json?: string }): Promise<number> {
  const count = options.count ?? 2000;
  console.log(`Measuring the mail queue with ${fmt(count)} messages ...`);
  const result = await measureMail(count);
  console.log(mailReport(result));
  if (options.json) fs.writeFileSync(options.json, JSON.stringify({ mail: result }, null, 2));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { count: { type: 'string' }, json: { type: 'string' } }, strict: true });
  process.exit(await benchMail({ count: positiveInt('count', values.count, 2000, 1), json: values.json }));
}
