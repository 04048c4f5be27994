/*
 * Lean pages for visitors (issue 15: the hot thread and the community pages were bound by
 * the bytes sent, not by the server's work). What a visitor gets must still be the whole
 * page: the post's own text to the character (a code block keeps its indentation although
 * the templates lose theirs), every score with its name for screen readers, the way to log
 * in to vote, and every comment; what goes is what nobody can use (script hooks on boxes
 * without forms, empty comment groups, template indentation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { User } from '../../src/domain/types.js';
import { TestClient } from '../helpers/app.js';
import { askQuestion, createCommunity, createQaApp, member, postAnswer, shownScore, vote } from '../helpers/qa.js';

const CODE_ANSWER = ['Run this, keeping the indentation:', '', '```', 'if (ready) {', '    reset();', '\t\tlog("done");', '}', '```'].join('\n');

/** The HTML of each answer's <article>, by answer id. */
function answerArticles(html: string): Map<string, string> {
  return new Map([...html.matchAll(/<article class="answer[^"]*" id="a(\d+)"[\s\S]*?<\/article>/g)].map((m) => [m[1]!, m[0]]));
}

describe('what a visitor downloads', () => {
  let app: FastifyInstance;
  let url: string;
  let questionId: string;
  let codeAnswer: string;
  let plainAnswers: string[];
  let commenter: { user: User; client: TestClient };

  beforeAll(async () => {
    app = await createQaApp();
    const community = await createCommunity(app.storage, 'lean', { name: 'Lean club' });
    const asker = await member(app, community, 'lean_asker');
    const answerer = await member(app, community, 'lean_answerer');
    commenter = await member(app, community, 'lean_commenter');
    const q = await askQuestion(asker.client, 'lean', { title: 'How do I keep a page small?', body: 'The page is large, what can go?', tags: 'bytes' });
    url = q.url;
    questionId = q.id;
    codeAnswer = await postAnswer(answerer.client, q.id, CODE_ANSWER);
    plainAnswers = [];
    for (let i = 0; i < 3; i++) plainAnswers.push(await postAnswer(answerer.client, q.id, `Plain answer number ${i}, long enough to post.`));
    await vote(commenter.client, codeAnswer, '1');
    await commenter.client.post(`/posts/${plainAnswers[0]}/comments`, { comment: 'A comment a visitor must see.' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('keeps the indentation of a code block in a post, while the page loses the templates\' indentation', async () => {
    const html = (await new TestClient(app).get(url, { 'accept-language': 'en' })).text;
    expect(html).toContain('<code>if (ready) {\n    reset();\n\t\tlog("done");\n}\n</code>');
    const outsideCode = html.replace(/<pre[\s\S]*?<\/pre>/g, '');
    expect(outsideCode.match(/\n[ \t]+</g) ?? []).toEqual([]);
  });

  it('gives a visitor vote boxes without forms or script hooks, each score named, and the way to log in', async () => {
    const html = (await new TestClient(app).get(url, { 'accept-language': 'en' })).text;
    expect(html).not.toContain('/vote"');
    expect(html).not.toContain('data-vote');
    expect(html).not.toContain('aria-live');
    expect(shownScore(html, codeAnswer)).toBe(1);
    for (const post of [questionId, codeAnswer, ...plainAnswers]) {
      const box = html.slice(html.indexOf(`data-post="${post}"`), html.indexOf('</div>', html.indexOf(`data-post="${post}"`)));
      expect(box).toMatch(/<span class="vote-score" aria-label="Score -?\d+">/);
      expect(box.match(/<button class="vote-button vote-(up|down)" disabled aria-label="[^"]+">/g)).toHaveLength(2);
      expect(box).toContain(`<a class="vote-hint" href="/login?next=${encodeURIComponent(url)}">Log in to vote</a>`);
    }
  });

  it('shows a visitor every comment, without empty comment groups on posts that have none', async () => {
    const html = (await new TestClient(app).get(url, { 'accept-language': 'en' })).text;
    const articles = answerArticles(html);
    expect(articles.get(plainAnswers[0]!)).toContain('role="group" aria-label="Comments on the answer by lean_answerer"');
    expect(articles.get(plainAnswers[0]!)).toContain('A comment a visitor must see.');
    for (const id of [codeAnswer, plainAnswers[1]!, plainAnswers[2]!]) expect(articles.get(id)).not.toContain('class="comments"');
    expect(html).not.toContain('Comments on the question');
    // Nobody can edit here, nothing was edited: no empty links row either.
    expect(html).not.toContain('post-links');
  });

  it('still gives a member the comment form and working vote forms on every post', async () => {
    const html = (await commenter.client.get(url)).text;
    const articles = answerArticles(html);
    for (const id of [codeAnswer, ...plainAnswers]) {
      expect(articles.get(id)).toContain(`action="/posts/${id}/comments"`);
      expect(articles.get(id)).toContain(`<div class="vote" data-vote data-post="${id}">`);
    }
    expect(html).toContain(`action="/posts/${questionId}/comments"`);
  });

  it('sends a visitor at most 1 KB of markup per answer beyond the answer\'s own text', async () => {
    const html = (await new TestClient(app).get(url, { 'accept-language': 'en' })).text;
    const article = answerArticles(html).get(plainAnswers[2]!)!;
    const text = /<div class="prose">([\s\S]*?)<\/div>/.exec(article)![1]!;
    // The login link carries the thread's path; the rest is the same for every answer.
    const markup = Buffer.byteLength(article) - Buffer.byteLength(text) - Buffer.byteLength(encodeURIComponent(url));
    expect(markup).toBeLessThan(1024);
  });
});
