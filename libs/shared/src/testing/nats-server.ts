import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NatsServerHandle {
  url: string;
  port: number;
  /** True when the server came from NATS_URL and is not ours to stop. */
  external: boolean;
  /** Stops the server (no-op for an external one). */
  stop(): Promise<void>;
  /** Stops and starts it again on the same port (bus restart tests). Throws for an external server. */
  restart(): Promise<void>;
}

const BINARY = process.env.NATS_SERVER_BIN ?? 'nats-server';

export function natsServerAvailable(): boolean {
  return spawnSync(BINARY, ['--version']).status === 0;
}

/**
 * Starts a real `nats-server` on a free port (like nats.js's test launcher), or returns the one
 * in NATS_URL when `useEnv` is set. Fails with a clear message when the binary is missing.
 */
export async function startNatsServer(options: { useEnv?: boolean } = {}): Promise<NatsServerHandle> {
  const envUrl = process.env.NATS_URL;
  if (options.useEnv && envUrl) {
    const port = Number(new URL(envUrl.split(',')[0]!.replace(/^nats:/, 'http:')).port || 4222);
    return {
      url: envUrl,
      port,
      external: true,
      stop: async () => undefined,
      restart: async () => {
        throw new Error('cannot restart the external NATS server in NATS_URL');
      },
    };
  }
  if (!natsServerAvailable()) {
    throw new Error(
      `nats-server binary not found (${BINARY}); install it (Debian: nats-server) or set NATS_URL`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'sr-nats-'));
  let child = await launch(['-a', '127.0.0.1', '-p', '-1', '--ports_file_dir', dir]);
  const port = await readPort(dir, child);
  const handle: NatsServerHandle = {
    url: `nats://127.0.0.1:${port}`,
    port,
    external: false,
    stop: async () => {
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await kill(child);
      child = await launch(['-a', '127.0.0.1', '-p', String(port)]);
      await waitForPort(port, 5000);
    },
  };
  return handle;
}

async function launch(args: string[]): Promise<ChildProcess> {
  const child = spawn(BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  return child;
}

async function readPort(dir: string, child: ChildProcess): Promise<number> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with code ${child.exitCode}`);
    const file = readdirSync(dir).find((f) => f.endsWith('.ports'));
    if (file) {
      const ports = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nats: string[] };
      const url = ports.nats[0];
      if (url) return Number(new URL(url.replace(/^nats:/, 'http:')).port);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('nats-server did not report its port within 5 s');
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.destroy();
        resolve();
      });
      socket.on('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`port ${port} not open within ${timeoutMs} ms`));
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
