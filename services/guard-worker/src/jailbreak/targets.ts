import { messageText, type ChatMessage } from '@sr/shared';

/** Roles whose content the client or a third party controls (documents, tool output). */
export const DEFAULT_SCAN_ROLES: readonly ChatMessage['role'][] = ['user', 'tool', 'function'];

/** A message's text to scan, with its index in the request. */
export interface ScanTarget {
  readonly messageIndex: number;
  readonly text: string;
}

/**
 * The messages the jailbreak guard scores: every message in `roles` with text (array content:
 * its text parts, so a document pasted as a second text part is scanned too).
 */
export function scanTargets(
  messages: readonly ChatMessage[],
  roles: readonly string[] = DEFAULT_SCAN_ROLES,
): ScanTarget[] {
  const targets: ScanTarget[] = [];
  messages.forEach((message, messageIndex) => {
    if (!roles.includes(message.role)) return;
    const text = messageText(message);
    if (text.trim()) targets.push({ messageIndex, text });
  });
  return targets;
}
