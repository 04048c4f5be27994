import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createQaApp } from '../helpers/qa.js';
import { TestClient } from '../helpers/app.js';

/* What a search engine or a link preview shows for a community: its description as plain text. */
describe('community page meta description', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createQaApp();
    await app.storage.communities.create({
      slug: 'roast',
      name: 'Home roasting',
      kind: 'interest',
      descriptionMd: 'Beans & <b>heat</b>',
      descriptionHtml: '<p>Beans &amp; <strong>heat</strong>: 烘焙 “tips”</p>',
      defaultLocale: 'en',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('is the description text, escaped exactly once', async () => {
    const html = (await new TestClient(app).get('/c/roast')).text;
    const m = /<meta name="description" content="([^"]*)"/.exec(html);
    expect(m?.[1]).toBe('Beans &amp; heat: 烘焙 “tips”');
  });
});
