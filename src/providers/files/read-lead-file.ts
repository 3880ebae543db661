import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import { AppError } from '../../lib/app-error.js';
import { mapLeadRow, planColumns, type ColumnPlan, type ImportedLead, type RowRejection } from '../../domain/import/lead-row.js';

export type InputReport = {
  file: string;
  format: 'csv' | 'json';
  rows: number;
  accepted: number;
  duplicates: number;
  rejected: RowRejection[];
  /** Each duplicate row and the line of the row it repeats. */
  duplicateRows: { line: number; of: number }[];
};

export type ReadLeadFileOptions = {
  /** Refuse an address that asked to be forgotten (privacy delete). */
  isSuppressed?: (identity: string) => boolean;
  onProgress?: (rows: number) => void;
  /** Longest CSV record accepted, in bytes. @defaultValue 1 MiB */
  maxRecordBytes?: number;
  /**
   * Hand accepted leads over in batches instead of keeping them: memory stays bounded by one batch
   * (plus the identities seen, for duplicate detection). The returned `leads` is then empty.
   */
  onBatch?: (leads: LeadFile['leads']) => Promise<void>;
  /** @defaultValue 1000 */
  batchSize?: number;
  /** Check the whole file and count, keep no lead. */
  validateOnly?: boolean;
};

export type LeadFile = { leads: (ImportedLead & { line: number })[]; report: InputReport };

const SNIFF_BYTES = 64 * 1024;

/** Refuse what cannot be a UTF-8 text file before parsing a single row. */
const sniff = async (file: string): Promise<{ head: Buffer; size: number }> => {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new AppError('INVALID_INPUT', error.code === 'ENOENT' ? `input file not found: ${file}` : `cannot read input file ${file} (${error.code})`);
  });
  if (!info.isFile()) throw new AppError('INVALID_INPUT', `input is not a file: ${file}`);
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, info.size));
    await handle.read(head, 0, head.length, 0);
    if (
      info.size === 0 ||
      head
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .trim() === ''
    )
      throw new AppError('INVALID_INPUT', `the input file is empty: ${file}`);
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
      throw new AppError('INVALID_INPUT', `${file} is UTF-16; save it as UTF-8 (CSV UTF-8 in a spreadsheet) and try again`);
    }
    if (head.includes(0)) throw new AppError('INVALID_INPUT', `${file} looks like a binary file, not CSV or JSON text`);
    return { head, size: info.size };
  } finally {
    await handle.close();
  }
};

/** Fails the read on the first byte sequence that is not UTF-8, instead of silently replacing it. */
const utf8Guard = () => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        done(new AppError('INVALID_INPUT', `the input is not valid UTF-8 (near byte ${offset}); save it as UTF-8 and try again`));
        return;
      }
      offset += chunk.length;
      done(null, chunk);
    },
  });
};

/** Comma or semicolon, whichever the header line uses more (outside quotes). */
const sniffDelimiter = (head: Buffer): ',' | ';' => {
  const text = head.toString('utf8');
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
};

/** Collects accepted rows, duplicates (by identity) and rejections; one instance per file. */
const createCollector = (options: ReadLeadFileOptions) => {
  let leads: LeadFile['leads'] = [];
  let accepted = 0;
  const batchSize = options.batchSize ?? 1000;
  const rejected: RowRejection[] = [];
  const duplicateRows: InputReport['duplicateRows'] = [];
  const firstLine = new Map<string, number>();
  let rows = 0;
  return {
    row: (cells: readonly string[], plan: ColumnPlan, line: number) => {
      rows++;
      if (rows % 5000 === 0) options.onProgress?.(rows);
      const mapped = mapLeadRow(cells, plan, line);
      if (!mapped.ok) return void rejected.push(mapped.error);
      const seen = firstLine.get(mapped.value.identity);
      if (seen !== undefined) return void duplicateRows.push({ line, of: seen });
      if (options.isSuppressed?.(mapped.value.identity)) return void rejected.push({ line, field: 'email', message: 'suppressed: this person asked not to be contacted' });
      firstLine.set(mapped.value.identity, line);
      accepted++;
      if (!options.validateOnly) leads.push({ ...mapped.value, line });
    },
    /** Hand a full batch (or, at the end, the rest) to onBatch. */
    flush: async (force: boolean) => {
      if (!options.onBatch || leads.length === 0 || (!force && leads.length < batchSize)) return;
      const batch = leads;
      leads = [];
      await options.onBatch(batch);
    },
    reject: (rejection: RowRejection) => {
      rows++;
      rejected.push(rejection);
    },
    result: (file: string, format: 'csv' | 'json'): LeadFile => ({
      leads,
      report: { file, format, rows, accepted, duplicates: duplicateRows.length, rejected, duplicateRows },
    }),
  };
};

const readCsv = async (file: string, head: Buffer, options: ReadLeadFileOptions): Promise<LeadFile> => {
  const collector = createCollector(options);
  const parser = parse({
    bom: true,
    delimiter: sniffDelimiter(head),
    relax_column_count: true,
    skip_empty_lines: true,
    // A stray quote inside a field is kept as a character; csv-parse cannot resume reliably after
    // a broken row, so any parse error fails the whole file (nothing is imported) with its line.
    relax_quotes: true,
    max_record_size: options.maxRecordBytes ?? 1024 * 1024,
    info: true,
  });
  let plan: ColumnPlan | null = null;
  const maxBytes = options.maxRecordBytes ?? 1024 * 1024;
  const source = createReadStream(file).pipe(utf8Guard());
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const newlines = record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
      const line = info.lines - newlines;
      if (!plan) {
        plan = planColumns(record);
        if (!plan.fields.includes('email') && !plan.fields.includes('linkedin')) {
          throw new AppError('INVALID_INPUT', `${path.basename(file)}: the header has no email or LinkedIn column (found: ${plan.headers.slice(0, 8).join(', ')})`);
        }
        continue;
      }
      collector.row(record, plan, line);
      await collector.flush(false);
    }
    await collector.flush(true);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const e = error as Error & { code?: string; lines?: number };
    const where = e.lines ? `line ${e.lines}` : 'the file';
    if (e.code === 'CSV_MAX_RECORD_SIZE') throw new AppError('INVALID_INPUT', `${path.basename(file)}: ${where} is longer than ${maxBytes} bytes; is it really a CSV file? Nothing was imported`);
    if (e.code?.startsWith('CSV_')) throw new AppError('INVALID_INPUT', `${path.basename(file)}: ${where} cannot be read as CSV (${e.code}); nothing was imported`);
    throw error;
  }
  if (!plan) throw new AppError('INVALID_INPUT', `the input file is empty: ${file}`);
  const result = collector.result(file, 'csv');
  if (result.report.rows === 0) throw new AppError('INVALID_INPUT', `${path.basename(file)} has a header but no rows`);
  return result;
};

const readJson = async (file: string, options: ReadLeadFileOptions): Promise<LeadFile> => {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file).pipe(utf8Guard())) chunks.push(chunk as Buffer);
  let data: unknown;
  try {
    data = JSON.parse(
      Buffer.concat(chunks)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    );
  } catch (error) {
    throw new AppError('INVALID_INPUT', `${path.basename(file)} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data)) throw new AppError('INVALID_INPUT', `${path.basename(file)} must hold a JSON array of lead objects`);
  if (data.length === 0) throw new AppError('INVALID_INPUT', `${path.basename(file)} holds no leads`);
  const collector = createCollector(options);
  // JSON has no lines: "line" is the item's position in the array, from 1.
  for (const [i, item] of data.entries()) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      collector.reject({ line: i + 1, field: '(row)', message: 'not a lead object' });
      continue;
    }
    const entries = Object.entries(item as Record<string, unknown>).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
    collector.row(
      entries.map(([, v]) => (v === null ? '' : String(v))),
      planColumns(entries.map(([k]) => k)),
      i + 1,
    );
    await collector.flush(false);
  }
  await collector.flush(true);
  return collector.result(file, 'json');
};

/** Read a CSV (comma or semicolon, UTF-8 with or without BOM) or a JSON array of leads. */
export const readLeadFile = async (file: string, options: ReadLeadFileOptions = {}): Promise<LeadFile> => {
  const { head } = await sniff(file);
  const looksJson = file.toLowerCase().endsWith('.json') || /^\s*\[/.test(head.toString('utf8').replace(/^\uFEFF/, ''));
  return looksJson ? readJson(file, options) : readCsv(file, head, options);
};
