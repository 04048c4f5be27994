import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('inbound mail settings', () => {
  it('off by default; addresses on the BASE_URL host', () => {
    const c = loadConfig({ NODE_ENV: 'test', BASE_URL: 'https://Help.Example.com' });
    expect(c.inbound).toEqual({ smtpPort: undefined, smtpHost: '0.0.0.0', secret: undefined, domain: 'help.example.com', addressTemplate: 'support+{community}@{domain}', maxBytes: 10 * 1024 * 1024, maxPerSenderPerHour: 10 });
  });

  it('reads every option', () => {
    const c = loadConfig({ NODE_ENV: 'test', INBOUND_SMTP_PORT: '2525', INBOUND_SMTP_HOST: '127.0.0.1', INBOUND_SECRET: '0123456789abcdef0123', INBOUND_DOMAIN: 'mail.example.com', INBOUND_ADDRESS_TEMPLATE: 'help-{community}@{domain}', INBOUND_MAX_BYTES: '2048', INBOUND_MAX_PER_HOUR: '3' });
    expect(c.inbound).toEqual({ smtpPort: 2525, smtpHost: '127.0.0.1', secret: '0123456789abcdef0123', domain: 'mail.example.com', addressTemplate: 'help-{community}@{domain}', maxBytes: 2048, maxPerSenderPerHour: 3 });
  });

  it('refuses a short secret, a template without {community} in the local part, a bad port', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ NODE_ENV: 'test', ...env });
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ INBOUND_SECRET: 'short' }).join()).toMatch(/INBOUND_SECRET/);
    expect(problems({ INBOUND_ADDRESS_TEMPLATE: 'support@{domain}' }).join()).toMatch(/INBOUND_ADDRESS_TEMPLATE/);
    expect(problems({ INBOUND_ADDRESS_TEMPLATE: 'support@{community}.example.com' }).join()).toMatch(/INBOUND_ADDRESS_TEMPLATE/);
    expect(problems({ INBOUND_SMTP_PORT: 'abc' }).join()).toMatch(/INBOUND_SMTP_PORT/);
    expect(problems({ INBOUND_DOMAIN: 'bad domain' }).join()).toMatch(/INBOUND_DOMAIN/);
  });
});
