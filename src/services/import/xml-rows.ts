import fs from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';

/*
 * Streams the <row .../> elements of a Stack Exchange dump file in batches, so a file of
 * several gigabytes never sits in memory. saxes is a strict, well-kept streaming parser
 * that reports the line and column of any well-formedness error.
 */

export interface XmlRow {
  attrs: Record<string, string>;
  line: number;
}

/** A dump file that is not well-formed XML: which file, where, and what the parser said. */
export class DumpFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
    this.name = 'DumpFormatError';
  }
}

export interface RowStreamOptions {
  batchSize: number;
  /** Called after each chunk with the bytes read so far. */
  onBytes?: (bytes: number) => void;
}

/**
 * Yields complete rows in batches of `batchSize` (the last may be smaller). A malformed file
 * throws DumpFormatError; the rows parsed since the last yielded batch are dropped with it,
 * so the caller only ever stores rows from batches it received whole.
 */
export async function* xmlRowBatches(file: string, options: RowStreamOptions): AsyncGenerator<XmlRow[]> {
  const name = path.basename(file);
  const parser = new SaxesParser({ fileName: name, position: true });
  let pending: XmlRow[] = [];
  parser.on('opentag', (tag) => {
    if (tag.name !== 'row') return;
    pending.push({ attrs: tag.attributes as Record<string, string>, line: parser.line });
  });
  const fail = (err: unknown): never => {
    const message = err instanceof Error ? err.message : String(err);
    // saxes formats "<file>:<line>:<column>: <message>".
    const m = /^[^:]*:(\d+):(\d+): (.*)$/s.exec(message);
    throw m ? new DumpFormatError(name, Number(m[1]), Number(m[2]), m[3]!) : new DumpFormatError(name, parser.line, parser.column, message);
  };
  let bytes = 0;
  let first = true;
  const stream = fs.createReadStream(file);
  stream.setEncoding('utf8');
  try {
    for await (const raw of stream as AsyncIterable<string>) {
      bytes += Buffer.byteLength(raw);
      // Dumps begin with a byte-order mark, which is not part of the XML text.
      const chunk = first && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      first = false;
      try {
        parser.write(chunk);
      } catch (err) {
        fail(err);
      }
      options.onBytes?.(bytes);
      while (pending.length >= options.batchSize) {
        const batch = pending.slice(0, options.batchSize);
        pending = pending.slice(options.batchSize);
        yield batch;
      }
    }
    try {
      parser.close();
    } catch (err) {
      fail(err);
    }
    if (pending.length > 0) yield pending;
  } finally {
    stream.destroy();
  }
}
