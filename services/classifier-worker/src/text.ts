import { messageText, type ChatMessage, type RouterConfig } from '@sr/shared';

export type ContextOptions = RouterConfig['classifiers']['context'];

const SYSTEM_ROLES = new Set(['system', 'developer']);

/**
 * The text a request is classified by: the last user turn, optionally preceded by the
 * `previousUserTurns` user turns before it and by the system prompt(s). Array `content` counts
 * only its `text` parts (images, audio and files are not text). With no user turn at all the
 * last message with text (other than a system prompt) stands in, so a request of tool results
 * still gets a class. Parts are joined by a blank line, oldest first.
 */
export function textToClassify(messages: readonly ChatMessage[], context: ContextOptions): string {
  const userTurns: number[] = [];
  messages.forEach((m, i) => {
    if (m.role === 'user' && messageText(m).trim()) userTurns.push(i);
  });
  const parts: string[] = [];
  if (context.includeSystemPrompt) {
    for (const m of messages)
      if (SYSTEM_ROLES.has(m.role) && messageText(m).trim()) parts.push(messageText(m));
  }
  if (userTurns.length === 0) {
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!;
      if (!SYSTEM_ROLES.has(m.role) && messageText(m).trim()) {
        parts.push(messageText(m));
        break;
      }
    }
    return parts.join('\n\n');
  }
  const picked = userTurns.slice(-(context.previousUserTurns + 1));
  for (const i of picked) parts.push(messageText(messages[i]!));
  return parts.join('\n\n');
}
