import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { startServer } from '../e2e/harness.js';

/*
 * The real server process (tsx src/server.ts): with INBOUND_SMTP_PORT set it listens for mail,
 * a message to a community's support address is taken (here: held, with its confirmation
 * written to DATA_DIR/mail by the embedded transport), and SIGTERM closes the listener.
 */

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function until<T>(what: string, fn: () => Promise<T | null>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('inbound SMTP listener in the server process', () => {
  it('starts with INBOUND_SMTP_PORT, takes mail, and closes on SIGTERM', { timeout: 120_000 }, async () => {
    const smtpPort = await freePort();
    const server = await startServer({ INBOUND_SMTP_PORT: String(smtpPort), INBOUND_SMTP_HOST: '127.0.0.1' });
    try {
      await until('the SMTP listener', async () => ((await accepts(smtpPort)) ? true : null));
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
      await transport.sendMail({ from: 'new.customer@example.test', to: 'support+home-coffee@127.0.0.1', subject: 'Which beans for a moka pot?', text: 'I just bought a moka pot. Which roast works best with it?' });
      transport.close();
      const mailDir = path.join(server.dataDir, 'mail');
      const eml = await until('the confirmation mail', async () => {
        const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : [];
        const texts = files.map((f) => fs.readFileSync(path.join(mailDir, f), 'utf8'));
        return texts.find((t) => t.includes('new.customer@example.test')) ?? null;
      });
      expect(eml).toMatch(/inbound\/confirm\//);
    } finally {
      await server.stop();
    }
    expect(await accepts(smtpPort)).toBe(false);
  });
});
