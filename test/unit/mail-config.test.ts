import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('loadConfig accepted the configuration');
}

describe('mail configuration', () => {
  it('with no settings writes .eml files under DATA_DIR/mail, from no-reply at the site host', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/forum-x', BASE_URL: 'https://help.example.com' });
    expect(config.mail).toEqual({ transport: 'file', smtpUrl: undefined, from: 'Community Help <no-reply@help.example.com>', dir: path.resolve('/tmp/forum-x/mail'), maxAttempts: 6 });
  });

  it('uses SMTP when SMTP_URL is smtp:// or smtps://, with MAIL_FROM as the sender', () => {
    const config = loadConfig({ SMTP_URL: 'smtps://user:secret@mail.example.com:465', MAIL_FROM: 'Forum <help@example.com>', MAIL_MAX_ATTEMPTS: '3' });
    expect(config.mail).toMatchObject({ transport: 'smtp', smtpUrl: 'smtps://user:secret@mail.example.com:465', from: 'Forum <help@example.com>', maxAttempts: 3 });
    expect(loadConfig({ SMTP_URL: 'smtp://localhost:2525' }).mail.transport).toBe('smtp');
  });

  it('refuses to start with a bad SMTP_URL, naming the variable and the expected form without printing the password', () => {
    for (const bad of ['http://user:hunter2@mail.example.com', 'mail.example.com:25', 'smtp://', 'smtps://user:hunter2@']) {
      const problems = problemsOf({ SMTP_URL: bad });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
      expect(problems[0]).not.toContain('hunter2');
    }
  });

  it('refuses a MAIL_FROM that holds no address, and a MAIL_MAX_ATTEMPTS that is not a number', () => {
    expect(problemsOf({ MAIL_FROM: 'Forum' })[0]).toMatch(/^MAIL_FROM must be an address/);
    expect(problemsOf({ MAIL_FROM: 'Forum <not an address>' })[0]).toMatch(/^MAIL_FROM/);
    expect(problemsOf({ MAIL_MAX_ATTEMPTS: 'many' })[0]).toMatch(/^MAIL_MAX_ATTEMPTS/);
  });
});
