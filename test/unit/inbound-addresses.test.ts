import { describe, expect, it } from 'vitest';
import { InboundAddresses } from '../../src/services/inbound/addresses.js';
import { automatedReason } from '../../src/services/inbound/loop-guard.js';
import type { InboundMessage } from '../../src/services/inbound/parse-message.js';

describe('inbound addresses', () => {
  const a = new InboundAddresses('support+{community}@{domain}', 'help.example.test', 'secret-one');
  it('routes a community address, in any case, and nothing else of the domain', () => {
    expect(a.communityAddress('coffee')).toBe('support+coffee@help.example.test');
    expect(a.route('Support+Coffee@Help.Example.Test')).toEqual({ kind: 'community', slug: 'coffee' });
    expect(a.route('support+coffee@other.test')).toBeNull();
    expect(a.route('sales@help.example.test')).toBeNull();
    expect(a.route('support+@help.example.test')).toBeNull();
  });
  it('a custom template', () => {
    const b = new InboundAddresses('{community}-help@{domain}', 'example.test', 'k');
    expect(b.communityAddress('tea')).toBe('tea-help@example.test');
    expect(b.route('tea-help@example.test')).toEqual({ kind: 'community', slug: 'tea' });
  });
  it('a reply address is signed per member and thread: a changed id or another secret is refused', () => {
    const addr = a.replyAddress('12', '345');
    expect(addr.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(a.route(addr)).toEqual({ kind: 'reply', userId: '12', questionId: '345' });
    expect(a.route(addr.toUpperCase())).toEqual({ kind: 'reply', userId: '12', questionId: '345' });
    expect(a.route(addr.replace('reply+12-', 'reply+13-'))).toBeNull();
    expect(new InboundAddresses('support+{community}@{domain}', 'help.example.test', 'secret-two').route(addr)).toBeNull();
  });
});

describe('loop guard', () => {
  const msg = (headers: Record<string, string>, from = 'li@example.test'): InboundMessage => ({ from: { address: from, name: '' }, recipients: [], subject: 's', text: 't', html: '', headers: new Map(Object.entries(headers)), messageId: null });
  it('machine-written mail is recognised; a person’s mail is not', () => {
    expect(automatedReason(msg({}))).toBeNull();
    expect(automatedReason(msg({ 'auto-submitted': 'no' }))).toBeNull();
    expect(automatedReason(msg({ 'auto-submitted': 'auto-replied' }))).toMatch(/auto-submitted/);
    expect(automatedReason(msg({ precedence: 'bulk' }))).toMatch(/precedence/);
    expect(automatedReason(msg({ precedence: 'junk' }))).toMatch(/precedence/);
    expect(automatedReason(msg({ 'list-id': '<news.example.test>' }))).toBe('list-id');
    expect(automatedReason(msg({}, 'MAILER-DAEMON@mx.example.test'))).toMatch(/sender/);
    expect(automatedReason(msg({}, 'postmaster@example.test'))).toMatch(/sender/);
  });
});
