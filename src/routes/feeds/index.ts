import type { FastifyPluginAsync } from 'fastify';
import { escapeHtml } from '../../markdown/render.js';
import { questionUrl } from '../../services/qa/question-service.js';

const xml = (s: string) => escapeHtml(s);

const feedRoutes: FastifyPluginAsync<{ baseUrl: string }> = async (app, opts) => {
  const { questions, communities } = app.services;

  app.get<{ Params: { community: string } }>('/c/:community/feed.atom', async (request, reply) => {
    const list = await questions.listQuestions(request.params.community, null, { sort: 'newest', page: 1 });
    const c = list.community;
    const updated = new Date(list.questions[0]?.createdAt ?? c.updatedAt).toISOString();
    const entries = list.questions
      .map((q) => {
        const url = opts.baseUrl + questionUrl(c.slug, q);
        return `  <entry>
    <title>${xml(q.title)}</title>
    <link href="${xml(url)}"/>
    <id>${xml(url)}</id>
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

  app.get('/sitemap.xml', async (_request, reply) => {
    const urls: Array<{ loc: string; lastmod?: number }> = [{ loc: `${opts.baseUrl}/` }];
    for (const c of await communities.list()) {
      urls.push({ loc: `${opts.baseUrl}/c/${c.slug}`, lastmod: c.updatedAt });
    }
    for (const q of await questions.sitemapEntries(45_000)) {
      urls.push({ loc: opts.baseUrl + questionUrl(q.communitySlug, q), lastmod: q.lastActivityAt });
    }
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.map((u) => `  <url><loc>${xml(u.loc)}</loc>${u.lastmod ? `<lastmod>${new Date(u.lastmod).toISOString()}</lastmod>` : ''}</url>`).join('\n')}
</urlset>
`;
    return reply.type('application/xml; charset=utf-8').send(body);
  });
};

export default feedRoutes;
