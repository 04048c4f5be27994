/*
 * Sending a page whose big parts are already UTF-8 bytes. A member's question page is mostly
 * the thread's HTML, kept as bytes by the thread cache; put into the rendered page as a
 * string it was copied into the page and encoded to UTF-8 again on every response (the
 * largest single cost of the page after the socket write). Instead the page is rendered with
 * a marker where each part goes, and the response is the small rendered text around the
 * markers, encoded, with the kept bytes between.
 */

import { randomBytes } from 'node:crypto';

/** Not a secret: random so that no post can hold it and be taken for the place of a part. */
const MARKER_PREFIX = `splice-${randomBytes(12).toString('hex')}-`;

/** The marker for a named part of a page (put in the view model where the part goes). */
export function spliceMarker(name: string): string {
  return MARKER_PREFIX + name;
}

export interface Splice {
  /** A string that the rendered page holds exactly once, where the bytes go. */
  marker: string;
  /** Bytes to put there, joined with the response's CSRF token (one part: no token). */
  parts: readonly Buffer[];
}

/** The page as bytes: the text around the markers encoded, the parts copied in. */
export function spliceBytes(html: string, splices: readonly Splice[], token: string): Buffer {
  const chunks: Buffer[] = [];
  const tokenBytes = Buffer.from(token, 'utf8');
  let at = 0;
  for (const { marker, at: found, parts } of located(html, splices)) {
    chunks.push(Buffer.from(html.slice(at, found), 'utf8'));
    parts.forEach((part, i) => {
      if (i > 0) chunks.push(tokenBytes);
      chunks.push(part);
    });
    at = found + marker.length;
  }
  chunks.push(Buffer.from(html.slice(at), 'utf8'));
  return Buffer.concat(chunks);
}

/** The same page as text (for the anonymous page cache, which keeps its own bytes). */
export function spliceText(html: string, splices: readonly Splice[], token: string): string {
  let out = '';
  let at = 0;
  for (const { marker, at: found, parts } of located(html, splices)) {
    out += html.slice(at, found) + parts.map((p) => p.toString('utf8')).join(token);
    at = found + marker.length;
  }
  return out + html.slice(at);
}

/** The markers in page order; a marker the page does not hold is a bug in the caller. */
function located(html: string, splices: readonly Splice[]): Array<Splice & { at: number }> {
  return splices
    .map((s) => {
      const at = html.indexOf(s.marker);
      if (at < 0) throw new Error(`page has no place for a spliced part (${s.marker})`);
      return { ...s, at };
    })
    .sort((a, b) => a.at - b.at);
}

/**
 * Rendered text cut where any of `markers` occurs, kept as bytes: each piece is either bytes
 * to send or the index of the marker that stood there (a marker may occur any number of
 * times, none may contain another). `assemble` puts the fills in. Used for layouts kept
 * between responses (plugins/views.ts), so a response only copies bytes.
 */
export type Piece = Buffer | number;

export function cutAt(html: string, markers: readonly string[]): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  for (;;) {
    let next = -1;
    let which = -1;
    markers.forEach((marker, i) => {
      const found = html.indexOf(marker, at);
      if (found >= 0 && (next < 0 || found < next)) {
        next = found;
        which = i;
      }
    });
    if (next < 0) break;
    if (next > at) pieces.push(Buffer.from(html.slice(at, next), 'utf8'));
    pieces.push(which);
    at = next + markers[which]!.length;
  }
  if (at < html.length) pieces.push(Buffer.from(html.slice(at), 'utf8'));
  return pieces;
}

/** Appends the pieces to `out`, each marker replaced by the chunks of its fill. */
export function assemble(pieces: readonly Piece[], fills: ReadonlyArray<readonly Buffer[]>, out: Buffer[] = []): Buffer[] {
  for (const piece of pieces) {
    if (typeof piece === 'number') out.push(...fills[piece]!);
    else out.push(piece);
  }
  return out;
}

/** A spliced part's bytes as chunks, joined with the response's token (see Splice). */
export function partChunks(parts: readonly Buffer[], token: Buffer): Buffer[] {
  const out: Buffer[] = [];
  parts.forEach((part, i) => {
    if (i > 0) out.push(token);
    out.push(part);
  });
  return out;
}
