import { startUpstreamStub } from '@sr/extproc-gateway/testing';
import { startEmbedded } from '../embedded';

export interface ServeArgs {
  config: string;
  /** Also start the demo OpenAI-compatible upstream (the default config points at it). */
  demoUpstream: boolean;
  demoPort: number;
}

/** `semantic-router serve`: the whole router in one process (embedded mode). */
export async function serve(args: ServeArgs): Promise<void> {
  const demo = args.demoUpstream
    ? await startUpstreamStub({ host: '127.0.0.1', port: args.demoPort, demo: true, name: 'demo-upstream' })
    : undefined;
  const router = await startEmbedded({ configFile: args.config });
  const stop = (signal: string) => {
    process.stderr.write(`${signal}: draining\n`);
    void router
      .shutdown()
      .then(() => demo?.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.stdout.write(
    `semantic-router ready: http :${router.httpPort} (OpenAI API, /api/v1/classify, /healthz), ext_proc gRPC :${router.grpcPort}, metrics :${router.metricsPort}` +
      (demo ? `, demo upstream ${demo.url}` : '') +
      '\n',
  );
}

/** `semantic-router demo-upstream`: the demo model server alone (docker compose runs it). */
export async function demoUpstream(host: string, port: number): Promise<void> {
  const demo = await startUpstreamStub({ host, port, demo: true, name: 'demo-upstream' });
  const stop = () => void demo.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`demo upstream ready on ${demo.url}\n`);
}
