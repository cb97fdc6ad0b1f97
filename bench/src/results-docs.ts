/** Writes the results table between the markers in docs/benchmarks.md. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Figure } from './figure';
import { ROOT } from './bench-kit';

export function writeDocs(result: {
  date: string;
  machine: Record<string, unknown>;
  figures: Figure[];
}): void {
  const path = join(ROOT, 'docs/benchmarks.md');
  const table = [
    `Run on ${result.date.slice(0, 10)} — ${String(result.machine.cores)} cores (${String(result.machine.cpu)}), ${String(result.machine.memoryGiB)} GiB, Node ${String(result.machine.node)}, Kafka ${String(result.machine.kafka)}, ${String(result.machine.mongo)}.`,
    '',
    '| workload | Fulcrum | baseline (same run) | ratio | target | met |',
    '|---|---|---|---|---|---|',
    ...result.figures.map(
      (f) =>
        `| ${f.name} | ${f.value} ${f.unit}${f.runs && f.runs.length > 1 ? ` (median of ${f.runs.length} runs; worst ${f.worst})` : ''} | ${f.baseline ? `${f.baseline.name}: ${f.baseline.value} ${f.baseline.unit}` : ''}${f.reference ? `; ${f.reference.name}: ${f.reference.value} ${f.reference.unit} (ratio ${f.reference.ratio})` : ''} | ${f.ratio ?? ''} | ${f.target} | ${f.met ? 'yes' : '**no**'} |`,
    ),
    '',
    ...result.figures.filter((f) => f.notes).map((f) => `- ${f.name}: ${f.notes}`),
  ].join('\n');
  let doc = readFileSync(path, 'utf8');
  doc = doc.replace(
    /<!-- results:start -->[\s\S]*<!-- results:end -->/,
    `<!-- results:start -->\n${table}\n<!-- results:end -->`,
  );
  writeFileSync(path, doc);
}
