import fs from 'node:fs/promises';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import type { MailConfig } from '../../config.js';

/** What the worker hands a transport: one rendered message. */
export interface OutgoingMail {
  /** The queue id: names the .eml file and the Message-ID, so a retry is recognisably the same mail. */
  id: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  messageId: string;
}

export interface MailTransport {
  readonly kind: 'file' | 'smtp';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

function message(mail: OutgoingMail) {
  return { from: mail.from, to: mail.to, subject: mail.subject, html: mail.html, text: mail.text, headers: mail.headers, messageId: mail.messageId };
}

/**
 * A nodemailer transporter made with the first message: nodemailer is loaded then rather than
 * at startup (a tenth of a second of CPU), which the server's ready time does not need.
 */
class LazyTransporter {
  private made: Promise<Transporter> | null = null;
  private transporter: Transporter | null = null;

  constructor(private readonly options: Parameters<typeof import('nodemailer').createTransport>[0]) {}

  get(): Promise<Transporter> {
    this.made ??= import('nodemailer').then((m) => (this.transporter = m.default.createTransport(this.options)));
    return this.made;
  }

  close(): void {
    this.transporter?.close();
  }
}

/**
 * The embedded default: nodemailer builds the exact MIME message SMTP would carry (its
 * stream transport, buffered), and it is written to DATA_DIR/mail/<time>-<id>.eml, so a local
 * install shows what it would send and any mail client opens it. Written to a temporary name
 * first and renamed, so a reader never sees half a file.
 */
export class FileMailTransport implements MailTransport {
  readonly kind = 'file';
  private readonly transporter = new LazyTransporter({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly dir: string) {}

  async send(mail: OutgoingMail): Promise<void> {
    const info = (await (await this.transporter.get()).sendMail(message(mail))) as { message: Buffer };
    await fs.mkdir(this.dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const file = path.join(this.dir, `${stamp}-${mail.id}.eml`);
    const tmp = `${file}.tmp`;
    await fs.writeFile(tmp, info.message);
    await fs.rename(tmp, file);
  }

  close(): void {
    this.transporter.close();
  }
}

/** Production: any SMTP server, smtp:// (STARTTLS when offered) or smtps:// (TLS from the start). */
export class SmtpMailTransport implements MailTransport {
  readonly kind = 'smtp';
  private readonly transporter: LazyTransporter;

  constructor(url: string) {
    this.transporter = new LazyTransporter(url);
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = await (await this.transporter.get()).sendMail(message(mail));
    // A server that accepted the message for none of its recipients did not deliver it.
    if ((info.accepted ?? []).length === 0) throw new Error(`SMTP server refused every recipient: ${info.response}`);
  }

  close(): void {
    this.transporter.close();
  }
}

export function createMailTransport(config: MailConfig): MailTransport {
  if (config.transport === 'smtp' && config.smtpUrl) return new SmtpMailTransport(config.smtpUrl);
  return new FileMailTransport(config.dir);
}
