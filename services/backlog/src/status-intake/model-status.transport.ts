/**
 * The model-status intake runs on its own Kafka server (consumer and group), apart from the
 * reliability-event one: handlers marked with this id are registered on that server only.
 */
export const MODEL_STATUS_TRANSPORT = Symbol('kafka:model-status');

/** The model-status consumer's group: the backlog's group id with this suffix. */
export function modelStatusGroup(groupId: string): string {
  return `${groupId}.model-status`;
}
