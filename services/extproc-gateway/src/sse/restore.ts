/**
 * Puts PII values back into an answer in place of the typed placeholders the guard put into the
 * prompt (`<EMAIL_ADDRESS_1>`). Streaming-safe: text that might be the start of a placeholder
 * split across deltas is held back until the next piece decides it.
 */
export class PlaceholderRestorer {
  private held = '';
  private readonly pattern: RegExp | undefined;
  private readonly maxLength: number;

  constructor(private readonly placeholders: Record<string, string>) {
    const keys = Object.keys(placeholders).sort((a, b) => b.length - a.length);
    this.pattern = keys.length ? new RegExp(keys.map(escapeRegExp).join('|'), 'g') : undefined;
    this.maxLength = keys.reduce((n, k) => Math.max(n, k.length), 0);
  }

  /** Restores a whole text at once. */
  restoreAll(text: string): string {
    return this.pattern ? text.replace(this.pattern, (k) => this.placeholders[k] ?? k) : text;
  }

  /** Feeds the next piece of a stream; returns what can be emitted now. */
  push(piece: string): string {
    if (!this.pattern) return piece;
    const text = this.held + piece;
    const cut = this.holdFrom(text);
    this.held = text.slice(cut);
    return this.restoreAll(text.slice(0, cut));
  }

  /** Whatever is still held back, restored. */
  flush(): string {
    const rest = this.restoreAll(this.held);
    this.held = '';
    return rest;
  }

  /** Index from which the tail could still grow into a placeholder. */
  private holdFrom(text: string): number {
    const from = Math.max(0, text.length - this.maxLength + 1);
    for (let i = from; i < text.length; i++) {
      const tail = text.slice(i);
      if (Object.keys(this.placeholders).some((k) => k.startsWith(tail))) return i;
    }
    return text.length;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
