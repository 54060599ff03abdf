import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Route = (req: RecordedRequest) => unknown;

/**
 * A FAKE Qdrant REST server for request-shape tests: it records the JSON the adapter sends and
 * answers each endpoint with a minimal valid reply (overridable per test). It stores nothing;
 * behaviour against a real Qdrant is the conformance suite's job.
 */
export class FakeQdrant {
  readonly requests: RecordedRequest[] = [];
  /** Overrides by "METHOD /collections/<name>/<rest>" suffix, e.g. "POST points/query". */
  readonly replies = new Map<string, Route>();
  /** When true the server accepts requests and never answers (a hung Qdrant). */
  hang = false;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void readBody(req).then((text) => {
        const url = new URL(req.url ?? '/', 'http://fake');
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          body: text ? (JSON.parse(text) as unknown) : undefined,
        };
        this.requests.push(recorded);
        if (this.hang) return;
        const result = this.route(recorded);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ result, status: 'ok', time: 0.0001 }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Requests whose path ends with `suffix` (e.g. "points/query"). */
  sent(method: string, suffix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.endsWith(suffix));
  }

  private route(req: RecordedRequest): unknown {
    const rest = req.path.replace(/^\/collections\/[^/]+\/?/, '');
    const override = this.replies.get(`${req.method} ${rest}`);
    if (override) return override(req);
    if (rest === 'exists') return { exists: false };
    if (rest === '' && req.method === 'PUT') return true;
    if (rest === 'index') return { operation_id: 1, status: 'completed' };
    if (rest === 'points/query') return { points: [] };
    if (rest === 'points/scroll') return { points: [], next_page_offset: null };
    if (rest === 'points/count') return { count: 0 };
    return { operation_id: 1, status: 'completed' };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => resolve(text));
  });
}
