import fs from 'node:fs';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestClient } from '../helpers/app.js';
import { askQuestion, createCommunity, createQaApp, member } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

/* "Similar questions" on the ask form: the no-JS check step and the as-you-type script. */

let app: FastifyInstance;
let asker: TestClient;

function inputValue(html: string, id: string): string | undefined {
  const m = new RegExp(`<input id="${id}"[^>]*\\bvalue="([^"]*)"`).exec(html);
  return m ? decodeHtml(m[1]!) : undefined;
}

function similarBox(html: string): string {
  const start = html.indexOf('id="similar-questions"');
  return decodeHtml(html.slice(start, html.indexOf('<div class="field">', start)));
}

beforeAll(async () => {
  app = await createQaApp();
  const cams = await createCommunity(app.storage, 'lenses');
  asker = (await member(app, cams, 'lensasker')).client;
  await askQuestion(asker, 'lenses', { title: 'Autofocus hunts in low light', body: 'The lens keeps hunting indoors at night.', tags: 'autofocus' });
  await askQuestion(asker, 'lenses', { title: '镜头起雾怎么办？每次进屋都这样', body: '从冷的室外进屋后镜头起雾了。', tags: '镜头' });
});

afterAll(async () => {
  await app.close();
});

describe('the no-JS "check similar questions" step', () => {
  it('shows the similar questions for the title alone, keeps what was typed, and shows no error', async () => {
    const res = await asker.post('/c/lenses/ask', { title: 'autofocus hunts', body: '', tags: '', action: 'check' });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('alert-error');
    expect(res.text).not.toContain('field-error');
    expect(inputValue(res.text, 'title')).toBe('autofocus hunts');
    expect(similarBox(res.text)).toContain('Autofocus hunts in low light');
    expect(await app.storage.posts.countQuestions()).toBe(2);
  });

  it('keeps the body and tags typed so far', async () => {
    const res = await asker.post('/c/lenses/ask', { title: 'Autofocus', body: 'Half a draft', tags: 'af', action: 'check' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('>Half a draft</textarea>');
    expect(inputValue(res.text, 'tags')).toBe('af');
  });

  it('finds Chinese titles of two or three characters', async () => {
    const res = await asker.post('/c/lenses/ask', { title: '镜头起雾', body: '', tags: '', action: 'check' });
    expect(res.status).toBe(200);
    expect(similarBox(res.text)).toContain('镜头起雾怎么办？每次进屋都这样');
  });

  it('asks gently for more of the title when it is empty or too short, without an error banner', async () => {
    for (const title of ['', '  ', 'af', '镜']) {
      const res = await asker.post('/c/lenses/ask', { title, body: '', tags: '', action: 'check' });
      expect(res.status, title).toBe(200);
      expect(res.text, title).not.toContain('alert-error');
      expect(similarBox(res.text), title).toContain('Type a few more words of your title');
    }
  });
});

/**
 * Runs static/js/similar.js against a minimal stand-in for the page: an input, the box,
 * and a fetch that records what it was asked. Timers run at once.
 */
function runSimilarScript(initial: string) {
  class HTMLInputElement {
    value = initial;
    dataset = { community: 'lenses' };
    listeners: Array<() => void> = [];
    addEventListener(_type: string, fn: () => void) {
      this.listeners.push(fn);
    }
  }
  const input = new HTMLInputElement();
  const target = { children: [] as unknown[], innerHTML: '', replaceChildren() {} };
  const requested: string[] = [];
  const context = vm.createContext({
    HTMLInputElement,
    DOMException,
    URLSearchParams,
    AbortController,
    document: { querySelector: () => input, getElementById: () => target },
    fetch: async (url: string) => {
      requested.push(new URL(url, 'http://x').searchParams.get('q')!);
      return { ok: true, json: async () => ({ questions: [], faq: [], html: '' }) };
    },
    setTimeout: (fn: () => void) => (fn(), 1),
    clearTimeout: () => {},
  });
  vm.runInContext(fs.readFileSync(new URL('../../static/js/similar.js', import.meta.url), 'utf8'), context);
  return {
    requested,
    type(value: string) {
      input.value = value;
      for (const fn of input.listeners) fn();
    },
  };
}

describe('similar questions as the title is typed (static/js/similar.js)', () => {
  it('looks up a Chinese title from two characters, other titles from four', () => {
    const page = runSimilarScript('');
    for (const value of ['镜', '镜头', '镜头起', 'a', 'af', 'aut', 'auto']) page.type(value);
    expect(page.requested).toEqual(['镜头', '镜头起', 'auto']);
  });

  it('looks up a title already in the box when the page opens', () => {
    expect(runSimilarScript('起雾').requested).toEqual(['起雾']);
    expect(runSimilarScript('af').requested).toEqual([]);
  });
});
