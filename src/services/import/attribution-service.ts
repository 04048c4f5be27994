import type { ImportRepository, PostAttribution } from '../../db/ports.js';

/** What the attribution partial shows under an imported post. */
export interface AttributionView {
  sourceUrl: string;
  authorName: string;
  authorUrl: string | null;
  licence: string;
  /** The licence deed, when the licence is a Creative Commons one we recognise. */
  licenceUrl: string | null;
}

const CC = /^CC BY-SA (2\.5|3\.0|4\.0)$/;

function licenceUrl(licence: string): string | null {
  const m = CC.exec(licence.trim());
  return m ? `https://creativecommons.org/licenses/by-sa/${m[1]}/` : null;
}

/** Only http(s) URLs are ever linked, whatever a dump or a database holds. */
function safeUrl(url: string | null): string | null {
  return url !== null && /^https?:\/\/[^\s"'<>]+$/.test(url) ? url : null;
}

/**
 * Imported posts carry their CC BY-SA attribution (the original and its author); pages that
 * show posts ask for the attributions of the posts they show.
 */
export class AttributionService {
  constructor(private readonly imports: ImportRepository) {}

  async forPosts(postIds: string[]): Promise<Record<string, AttributionView>> {
    const found = await this.imports.attributions(postIds);
    const out: Record<string, AttributionView> = {};
    for (const [id, a] of found) {
      const view = toView(a);
      if (view) out[id] = view;
    }
    return out;
  }
}

function toView(a: PostAttribution): AttributionView | null {
  const sourceUrl = safeUrl(a.sourceUrl);
  if (!sourceUrl) return null;
  return { sourceUrl, authorName: a.authorName, authorUrl: safeUrl(a.authorUrl), licence: a.licence, licenceUrl: licenceUrl(a.licence) };
}
