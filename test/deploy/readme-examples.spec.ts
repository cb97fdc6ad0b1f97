import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelStatus, TelemetryValidator } from '@fulcrum/contracts';

/** The README's example records are what a stranger copies: each must pass the real contract. */
describe('README examples', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const records = [...readme.matchAll(/```json\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1].split('\n'))
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as { schema: string; kind?: string });

  it('shows one complete telemetry record of each kind, each valid', () => {
    const telemetry = records.filter((r) => r.schema === 'fulcrum.telemetry/v1');
    expect(telemetry.map((r) => r.kind).sort()).toEqual([
      'baseline',
      'prediction',
      'quality',
      'window',
    ]);
    const validator = new TelemetryValidator();
    for (const r of telemetry) expect(validator.validate(r)).toMatchObject({ ok: true });
  });

  it('shows a valid model-status record', () => {
    const statuses = records.filter((r) => r.schema === 'fulcrum.model-status/v1');
    expect(statuses).toHaveLength(1);
    expect(parseModelStatus(statuses[0])).toMatchObject({ ok: true });
  });
});
