import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Row } from './reference-baseline';

/** Rows of a CSV file (a header line, then one row per line) or a Parquet file, by its extension. */
export async function readReferenceFile(path: string): Promise<Row[]> {
  const bytes = readFileSync(path);
  if (/\.parquet$/i.test(path)) {
    // hyparquet is an ES module: loaded on demand, only for Parquet files.
    const { parquetReadObjects } = await import('hyparquet');
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return (await parquetReadObjects({ file })) as Row[];
  }
  return parse<Row>(bytes, { columns: true, skip_empty_lines: true, trim: true, bom: true });
}
