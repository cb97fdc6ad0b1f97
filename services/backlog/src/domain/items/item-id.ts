import { deterministicId } from '@fulcrum/contracts';

/**
 * What an item id is — the one definition routes, DTOs and the OpenAPI document use. Proposed items
 * get a random UUID; items opened from a reliability incident get `rel-<incidentId>` (a UUIDv5),
 * so redelivered incidents land on the same item; a technical-debt gap found by the audit gets
 * `debt-<UUIDv5 of model and check>`, one item per (model, check).
 */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export const ITEM_ID_PATTERN = `^(rel-|debt-)?${UUID}$`;
export const ITEM_ID = new RegExp(ITEM_ID_PATTERN);
export const ITEM_ID_DESCRIPTION =
  'An item id as this API returns it: a UUID, rel-<incident UUID> for an incident, debt-<UUID> for an audit gap';

export function isItemId(value: unknown): value is string {
  return typeof value === 'string' && ITEM_ID.test(value);
}

export function reliabilityItemId(incidentId: string): string {
  return `rel-${incidentId}`;
}

export function auditItemId(modelId: string, check: string): string {
  return `debt-${deterministicId('audit-gap', modelId, check)}`;
}
