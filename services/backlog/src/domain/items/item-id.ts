/**
 * What an item id is — the one definition routes, DTOs and the OpenAPI document use. Proposed items
 * get a random UUID; items opened from a reliability incident get `rel-<incidentId>` (a UUIDv5),
 * so redelivered incidents land on the same item.
 */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export const ITEM_ID_PATTERN = `^(rel-)?${UUID}$`;
export const ITEM_ID = new RegExp(ITEM_ID_PATTERN);
export const ITEM_ID_DESCRIPTION =
  'An item id as this API returns it: a UUID, or rel-<incident UUID> for a reliability item';

export function isItemId(value: unknown): value is string {
  return typeof value === 'string' && ITEM_ID.test(value);
}

export function reliabilityItemId(incidentId: string): string {
  return `rel-${incidentId}`;
}
