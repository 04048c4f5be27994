import { escapeHtml } from '../../markdown/render.js';
import type { SitemapUrl } from '../../services/feeds/sitemap-service.js';

const xml = (s: string) => escapeHtml(s);
const iso = (at: number) => new Date(at).toISOString();

export function urlsetXml(baseUrl: string, urls: Iterable<SitemapUrl>): string {
  const lines: string[] = [];
  for (const u of urls) lines.push(`  <url><loc>${xml(baseUrl + (u.path || '/'))}</loc>${u.lastmod ? `<lastmod>${iso(u.lastmod)}</lastmod>` : ''}</url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${lines.join('\n')}
</urlset>
`;
}

export function sitemapIndexXml(baseUrl: string, sitemaps: Iterable<SitemapUrl>): string {
  const lines: string[] = [];
  for (const s of sitemaps) lines.push(`  <sitemap><loc>${xml(baseUrl + s.path)}</loc>${s.lastmod ? `<lastmod>${iso(s.lastmod)}</lastmod>` : ''}</sitemap>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${lines.join('\n')}
</sitemapindex>
`;
}

export const pagesSitemapPath = '/sitemap-pages.xml';
export const questionsSitemapPath = (page: number) => `/sitemap-questions-${page}.xml`;
