import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../lib/app-error.js';

export type CsvTable = { header: string[]; records: { line: number; cells: string[] }[] };

/** Larger files are refused: a customer list is thousands of rows, not millions. */
const MAX_BYTES = 20 * 1024 * 1024;

/**
 * A small CSV read whole (comma or semicolon, UTF-8 with or without BOM, quoted fields): the header
 * and each record with the line it starts on. A file that cannot be read as CSV fails as a whole.
 */
export const readCsvTable = async (file: string): Promise<CsvTable> => {
  const name = path.basename(file);
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    throw new AppError('INVALID_INPUT', `cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (buffer.length > MAX_BYTES) throw new AppError('INVALID_INPUT', `${name} is larger than ${MAX_BYTES / 1024 / 1024} MB`);
  const text = buffer.toString('utf8');
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, relax_quotes: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as Error & { code?: string; lines?: number };
    throw new AppError('INVALID_INPUT', `${name}: ${e.lines ? `line ${e.lines}` : 'the file'} cannot be read as CSV (${e.code ?? e.message}); nothing was imported`);
  }
  const [head, ...body] = rows;
  if (!head) throw new AppError('INVALID_INPUT', `${name} is empty`);
  const lineOf = (r: { record: string[]; info: { lines: number } }) => r.info.lines - r.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
  return { header: head.record, records: body.map((r) => ({ line: lineOf(r), cells: r.record })) };
};
