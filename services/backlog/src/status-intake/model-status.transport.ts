/**
 * The model-status consumer's group: the backlog's group id + `.model-status-server`. The `-server`
 * is what Nest's Kafka transport appended when this intake ran on it; the group keeps that name so
 * an upgraded backlog continues from its committed offsets instead of re-reading the topic.
 */
export function modelStatusGroup(groupId: string): string {
  return `${groupId}.model-status-server`;
}
