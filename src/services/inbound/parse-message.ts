import type { AddressObject } from 'mailparser';

/** What the forum reads of an inbound message. */
export interface InboundMessage {
  from: { address: string; name: string };
  /** Every address the message was sent to (To, Cc, Delivered-To, X-Original-To), lower case. */
  recipients: string[];
  subject: string;
  /** The plain-text part, or '' when there is none. */
  text: string;
  /** The HTML part, or '' when there is none. */
  html: string;
  /** Header names in lower case, values as plain strings. */
  headers: Map<string, string>;
  messageId: string | null;
}

/** A message that cannot be read as mail: refused whole, never half-stored. */
export class MalformedMessageError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'MalformedMessageError';
  }
}

const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

function addresses(value: AddressObject | AddressObject[] | undefined): Array<{ address: string; name: string }> {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((o) => o.value).flatMap((a) => (a.address ? [{ address: a.address.trim(), name: (a.name ?? '').trim() }] : []));
}

/**
 * Parses a raw RFC 5322 message with mailparser. A message without a usable From address, or
 * without any header at all, is malformed: there is nobody to answer and nothing to trust.
 */
export async function parseMessage(raw: Buffer): Promise<InboundMessage> {
  if (raw.length === 0) throw new MalformedMessageError('empty message');
  // A message starts with its header block; anything else (a JSON body, random bytes) is not mail.
  const head = raw.subarray(0, Math.min(raw.length, 2000)).toString('latin1');
  if (!/^[\x21-\x39\x3b-\x7e]+:/.test(head)) throw new MalformedMessageError('no header block');
  let parsed;
  try {
    // Loaded with the first message, not at startup: mailparser and its MIME libraries take
    // a third of a second of CPU to load, and most instances receive mail rarely or never.
    const { simpleParser } = await import('mailparser');
    parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch (err) {
    throw new MalformedMessageError(`unreadable MIME: ${err instanceof Error ? err.message : String(err)}`);
  }
  const from = addresses(parsed.from)[0];
  if (!from || !ADDRESS.test(from.address)) throw new MalformedMessageError('no sender address');
  // The raw header lines, not mailparser's structured ones (it folds List-Id into a "list" object).
  const headers = new Map<string, string>();
  for (const { key, line } of parsed.headerLines) {
    if (!headers.has(key.toLowerCase())) headers.set(key.toLowerCase(), line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  const recipients = [...addresses(parsed.to), ...addresses(parsed.cc)].map((a) => a.address.toLowerCase());
  for (const extra of ['delivered-to', 'x-original-to']) {
    const v = headers.get(extra);
    if (v) recipients.push(...v.split(',').map((s) => s.replace(/^.*<|>.*$/g, '').trim().toLowerCase()).filter(Boolean));
  }
  return {
    from: { address: from.address, name: from.name },
    recipients: [...new Set(recipients)],
    subject: (parsed.subject ?? '').replace(/\s+/g, ' ').trim(),
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    headers,
    messageId: parsed.messageId ?? null,
  };
}
