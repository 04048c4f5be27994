import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/*
 * A real SMTP server in the test process (the smtp-server package), receiving what the
 * forum's SMTP transport sends over a real TCP connection; every message is parsed with
 * mailparser, as a mail client would. `reject` makes it refuse messages (a 4xx after DATA),
 * to exercise retries.
 */
export interface TestSmtp {
  url: string;
  received: ParsedMail[];
  reject: string | null;
  /** Resolves when `count` messages have arrived in all. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** `into`: an object to fill and return (useTestSmtp hands it out before the server starts). */
export async function startSmtp(into: Partial<TestSmtp> = {}): Promise<TestSmtp> {
  const received: ParsedMail[] = into.received ?? [];
  const state: TestSmtp = Object.assign(into, {
    url: '',
    received,
    reject: null,
    async waitFor(count: number, timeoutMs = 5000): Promise<ParsedMail[]> {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} mails, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    close: async () => {},
  });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.reject) {
          const err = Object.assign(new Error(state.reject), { responseCode: 451 });
          return callback(err);
        }
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            received.push(mail);
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('SMTP server has no port');
  state.url = `smtp://127.0.0.1:${address.port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/**
 * One SMTP server for a test file: started before its tests, closed after them, its inbox
 * emptied before each test. The object is usable from the start (filled when it listens).
 */
export function useTestSmtp(): TestSmtp {
  const smtp = { received: [] as ParsedMail[] } as Partial<TestSmtp>;
  beforeAll(async () => {
    await startSmtp(smtp);
  });
  beforeEach(() => {
    smtp.received!.length = 0;
  });
  afterAll(async () => {
    await smtp.close?.();
  });
  return smtp as TestSmtp;
}
