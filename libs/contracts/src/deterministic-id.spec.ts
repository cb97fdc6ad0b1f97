import { v5 as uuidv5 } from 'uuid';
import { deterministicId, FULCRUM_ID_NAMESPACE } from './deterministic-id';

// The published formula, computed by an independent UUID library: a consumer that recomputes an id
// this way must get exactly what the services emit.
describe('deterministicId', () => {
  it('is the namespace the README publishes: UUIDv5 of fulcrum.reliability/v1 in the URL namespace', () => {
    expect(FULCRUM_ID_NAMESPACE).toBe(uuidv5('fulcrum.reliability/v1', uuidv5.URL));
  });

  it.each([
    [['credit-risk', 'accuracy', '2026-01-05T00:10:00.000Z', '2026-01-05T00:15:00.000Z']],
    [['4ef91e05-bd12-5dd7-9090-f881a09c6122', 'opened']],
    [['a', 'updated', 'critical', '2026-01-05T00:25:00.000Z']],
    [['model-é', 'telemetry_stale', 1767571200000]],
  ])('equals uuid.v5 of the parts joined by U+0000: %j', (parts) => {
    expect(deterministicId(...parts)).toBe(uuidv5(parts.join('\u0000'), FULCRUM_ID_NAMESPACE));
  });

  it('tells part lists apart that concatenate to the same text', () => {
    expect(deterministicId('ab', 'c')).not.toBe(deterministicId('a', 'bc'));
  });
});
