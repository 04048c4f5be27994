import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError } from '../../domain/errors.js';
import type { Question } from '../../domain/qa-types.js';
import { escapeHtml } from '../../markdown/render.js';
import { questionUrl } from '../../services/qa/question-service.js';
import { pagesSitemapPath, questionsSitemapPath, sitemapIndexXml, urlsetXml } from './sitemap.js';

const xml = (s: string) => escapeHtml(s);

/**
 * An Atom entry id must never change (RFC 4287 4.2.6), or readers show an edited question
 * as a new one. The URL carries the title's slug and the community, both of which can
 * change, so the id is a tag: URI (RFC 4151) built only from the site's host, the day the
 * question was asked and its id.
 */
export function atomEntryId(baseUrl: string, q: Pick<Question, 'id' | 'createdAt'>): string {
  const host = new URL(baseUrl).hostname;
  const day = new Date(q.createdAt).toISOString().slice(0, 10);
  return `tag:${host},${day}:question:${q.id}`;
}

const PAGE_NUMBER = /^[1-9]\d{0,5}$/;

const feedRoutes: FastifyPluginAsync<{ baseUrl: string }> = async (app, opts) => {
  const { questions, sitemaps } = app.services;

  app.get<{ Params: { community: string } }>('/c/:community/feed.atom', async (request, reply) => {
    const list = await questions.listQuestions(request.params.community, null, { sort: 'newest', page: 1, withBodies: true });
    const c = list.community;
    const updated = new Date(list.questions[0]?.createdAt ?? c.updatedAt).toISOString();
    const entries = list.questions
      .map((q) => {
        const url = opts.baseUrl + questionUrl(c.slug, q);
        return `  <entry>
    <title>${xml(q.title)}</title>
    <link href="${xml(url)}"/>
    <id>${xml(atomEntryId(opts.baseUrl, q))}</id>
    <updated>${new Date(q.editedAt ?? q.createdAt).toISOString()}</updated>
    <published>${new Date(q.createdAt).toISOString()}</published>
    <author><name>${xml(list.authors.get(q.authorId)?.username ?? '')}</name></author>
    ${q.tags.map((t) => `<category term="${xml(t)}"/>`).join('')}
    <content type="html">${xml(q.bodyHtml)}</content>
  </entry>`;
      })
      .join('\n');
    const self = `${opts.baseUrl}/c/${c.slug}/feed.atom`;
    const body = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${xml(c.name)}</title>
  <link href="${xml(self)}" rel="self"/>
  <link href="${xml(`${opts.baseUrl}/c/${c.slug}`)}"/>
  <id>${xml(self)}</id>
  <updated>${updated}</updated>
${entries}
</feed>
`;
    return reply.type('application/atom+xml; charset=utf-8').send(body);
  });

  // A sitemap holds at most 50,000 URLs, so the questions are split over numbered pages
  // that the index at /sitemap.xml (the address crawlers and robots.txt know) points to.
  app.get('/sitemap.xml', async (_request, reply) => {
    const pageCount = await sitemaps.questionPageCount();
    const entries = [{ path: pagesSitemapPath }, ...Array.from({ length: pageCount }, (_, i) => ({ path: questionsSitemapPath(i + 1) }))];
    return reply.type('application/xml; charset=utf-8').send(sitemapIndexXml(opts.baseUrl, entries));
  });

  app.get(pagesSitemapPath, async (_request, reply) => {
    return reply.type('application/xml; charset=utf-8').send(urlsetXml(opts.baseUrl, await sitemaps.pages()));
  });

  app.get<{ Params: { page: string } }>('/sitemap-questions-:page.xml', async (request, reply) => {
    const raw = request.params.page;
    const urls = PAGE_NUMBER.test(raw) ? await sitemaps.questionPage(Number(raw)) : null;
    if (!urls) throw new NotFoundError();
    return reply.type('application/xml; charset=utf-8').send(urlsetXml(opts.baseUrl, urls));
  });
};

export default feedRoutes;
