/** Allowed user ids: letters, digits, '_', '.', '-', 1 to 64 characters. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The conversation of two users: their ids sorted and joined with ':'. It is the Kafka key,
 * so both directions of a conversation land in one partition and share one order.
 */
export function conversationIdOf(userA: string, userB: string): string {
  return userA < userB ? `${userA}:${userB}` : `${userB}:${userA}`;
}
