/**
 * Incremental Server-Sent Events parser: feed it bytes as they arrive, get back the complete
 * events (their `data` field) seen so far. Handles events split across chunks, `\r\n` and `\n`
 * line ends, multi-line `data`, comments and a UTF-8 character split across chunks.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';

  /** Returns the `data` of every event completed by this chunk. */
  push(chunk: Uint8Array | string): string[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const events: string[] = [];
    for (;;) {
      const match = /\r\n\r\n|\n\n|\r\r/.exec(this.buffer);
      if (!match) break;
      const raw = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const data = eventData(raw);
      if (data !== undefined) events.push(data);
    }
    return events;
  }

  /** Flushes a last event that was not followed by a blank line. */
  end(): string[] {
    this.buffer += this.decoder.decode();
    const rest = this.buffer;
    this.buffer = '';
    const data = rest.trim() ? eventData(rest) : undefined;
    return data === undefined ? [] : [data];
  }
}

function eventData(raw: string): string | undefined {
  const lines: string[] = [];
  for (const line of raw.split(/\r\n|\n|\r/)) {
    if (line.startsWith('data:')) lines.push(line.slice(line.startsWith('data: ') ? 6 : 5));
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** One SSE frame carrying `data`. */
export function sseFrame(data: string): string {
  return `data: ${data}\n\n`;
}

export const SSE_DONE = '[DONE]';
