import cliProgress from 'cli-progress';
import type { DumpFile, ImportProgress, ImportSummary } from './stackexchange-importer.js';

/** A progress bar per file on a terminal (cli-progress). */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ImportProgress {
  let bar: cliProgress.SingleBar | null = null;
  return {
    start(file: DumpFile, totalBytes: number) {
      bar = new cliProgress.SingleBar(
        { format: `${file.padEnd(14)} [{bar}] {percentage}% | {rows} rows | {eta_formatted} left`, stream, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(1, totalBytes), 0, { rows: 0 });
    },
    update(bytes: number, rows: number) {
      bar?.update(bytes, { rows });
    },
    finish() {
      bar?.update(bar.getTotal());
      bar?.stop();
      bar = null;
    },
    note(text: string) {
      stream.write(`${text}\n`);
    },
  };
}

/** Plain lines (a log file, CI): one when a file starts, every few seconds, and when it ends. */
export function lineProgress(write: (line: string) => void = (l) => process.stderr.write(`${l}\n`), everyMs = 2000): ImportProgress {
  let file = '';
  let total = 1;
  let last = 0;
  let rows = 0;
  let bytes = 0;
  const line = () => `${file}: ${Math.floor((100 * bytes) / total)}% (${rows} rows)`;
  return {
    start(f, totalBytes) {
      file = f;
      total = Math.max(1, totalBytes);
      rows = 0;
      bytes = 0;
      last = Date.now();
      write(`${file}: reading (${totalBytes} bytes)`);
    },
    update(b, r) {
      bytes = b;
      rows = r;
      if (Date.now() - last >= everyMs) {
        last = Date.now();
        write(line());
      }
    },
    finish() {
      bytes = total;
      write(`${line()} done`);
    },
    note(text) {
      write(text);
    },
  };
}

/** The end-of-run summary: per file what was imported, skipped, and refused with reasons. */
export function formatSummary(summary: ImportSummary): string {
  const out: string[] = [];
  out.push(`Import finished in ${(summary.elapsedMs / 1000).toFixed(1)} s.`);
  for (const f of summary.files) {
    if (!f.present) {
      out.push(`  ${f.file}: not in the dump, skipped`);
      continue;
    }
    const refused = [...f.refused.values()].reduce((a, b) => a + b, 0);
    out.push(`  ${f.file}: ${f.rows} rows, ${f.imported} imported, ${f.skipped} already imported, ${refused} not imported`);
    for (const [reason, n] of [...f.refused].sort((a, b) => b[1] - a[1])) out.push(`      ${n} × ${reason}`);
  }
  const d = summary.duplicates;
  const dupRefused = [...d.refused.values()].reduce((a, b) => a + b, 0);
  out.push(`  Duplicate links: ${d.closed} questions closed as duplicates of their originals, ${d.alreadyClosed} already closed, ${dupRefused} could not be closed`);
  for (const [reason, n] of [...d.refused].sort((a, b) => b[1] - a[1])) out.push(`      ${n} × ${reason}`);
  out.push(`  ${summary.votesCreated} vote rows written (dump votes have no voter: each is cast by an "imported vote" account).`);
  return out.join('\n');
}
