import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parseConfig } from './load';
import type { RouterConfig } from './schema';

export type ReloadOutcome =
  { status: 'applied'; config: RouterConfig } | { status: 'rejected'; error: Error };

export interface ConfigStoreOptions {
  file: string;
  initial: RouterConfig;
  /** Debounce of file events (editors and ConfigMap swaps fire several). */
  debounceMs?: number;
  env?: NodeJS.ProcessEnv;
  onReload?: (outcome: ReloadOutcome) => void;
}

/**
 * Holds the running config and swaps it atomically when the file changes. Watches the file's
 * directory, not the file, so Kubernetes ConfigMap updates (a `..data` symlink swap that replaces
 * the file's inode) are seen too. An invalid edit keeps the running config.
 */
export class ConfigStore {
  private current: RouterConfig;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastText: string | undefined;
  private readonly listeners = new Set<(config: RouterConfig) => void>();
  readonly counts = { applied: 0, rejected: 0 };

  constructor(private readonly options: ConfigStoreOptions) {
    this.current = options.initial;
  }

  get config(): RouterConfig {
    return this.current;
  }

  /** Called with every newly applied config. Returns an unsubscribe function. */
  onChange(listener: (config: RouterConfig) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.watcher) return;
    const file = resolve(this.options.file);
    const dir = dirname(file);
    const name = basename(file);
    this.watcher = watch(dir, { persistent: false }, (_event, changed) => {
      // ConfigMaps change `..data` and `..<timestamp>` entries; a plain edit names the file.
      if (changed && changed !== name && !String(changed).startsWith('..')) return;
      this.schedule();
    });
    this.watcher.on('error', () => this.schedule());
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.options.debounceMs ?? 200);
    this.timer.unref();
  }

  /** Re-reads the file now. Unchanged content is a no-op that reports `applied` with the current config. */
  async reload(): Promise<ReloadOutcome> {
    let outcome: ReloadOutcome;
    try {
      const text = await readFile(this.options.file, 'utf8');
      if (text === this.lastText) return { status: 'applied', config: this.current };
      const next = parseConfig(text, this.options.file, this.options.env);
      this.lastText = text;
      this.current = next;
      this.counts.applied++;
      outcome = { status: 'applied', config: next };
      for (const l of this.listeners) l(next);
    } catch (error) {
      this.counts.rejected++;
      outcome = { status: 'rejected', error: error instanceof Error ? error : new Error(String(error)) };
    }
    this.options.onReload?.(outcome);
    return outcome;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
