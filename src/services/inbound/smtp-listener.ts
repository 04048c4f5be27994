import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { InboundRefusal } from './inbound-refusal.js';
import type { InboundLog, InboundService } from './inbound-service.js';

export interface InboundSmtp {
  port: number;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/*
 * The inbound SMTP listener (INBOUND_SMTP_PORT). It is meant to sit behind the site's mail
 * exchanger or to receive directly; it takes no AUTH and offers no STARTTLS (terminate TLS in
 * the relay in front of it). Recipients that are not ours are refused at RCPT TO, so no
 * message for them is ever read; the size is announced (SIZE) and enforced (552); every other
 * decision is InboundService.receive's, answered with its code. An unexpected error answers
 * 451 so the sending server retries rather than losing the mail.
 */
export async function startInboundSmtp(service: InboundService, options: { host: string; port: number; log?: InboundLog | null }): Promise<InboundSmtp> {
  const log = options.log ?? null;
  const server = new SMTPServer({
    name: service.addresses.communityAddress('x').split('@')[1] ?? 'localhost',
    banner: 'community help forum',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: service.maxBytes,
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (!service.addresses.route(address.address)) return callback(smtpError(550, '5.1.1 no such mailbox here'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (c: Buffer) => {
        bytes += c.length;
        // Past the limit the rest is read and thrown away; the message is refused below.
        if (bytes <= service.maxBytes) chunks.push(c);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || bytes > service.maxBytes) return callback(smtpError(552, '5.3.4 message too large'));
        const envelope = session.envelope.rcptTo.map((r) => r.address);
        service
          .receive(Buffer.concat(chunks), envelope)
          .then(() => callback())
          .catch((err: unknown) => {
            if (err instanceof InboundRefusal) return callback(smtpError(err.smtpCode, err.message));
            log?.error({ err: err instanceof Error ? err.message : String(err) }, 'inbound mail failed');
            callback(smtpError(451, '4.3.0 temporary failure, try again later'));
          });
      });
    },
  });
  server.on('error', (err) => log?.error({ err: err.message }, 'inbound SMTP listener error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = address && typeof address === 'object' ? address.port : options.port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
