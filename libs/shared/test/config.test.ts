import {
  mkdtempSync,
  writeFileSync,
  readFileSync,
  readdirSync,
  mkdirSync,
  symlinkSync,
  renameSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigStore, configKeyPaths, loadConfigFile, parseConfig, type ConfigError } from '../src';

const MINIMAL = `
defaultModel: a
models:
  - name: a
    endpoints: [{ url: http://127.0.0.1:9/v1 }]
`;

function problemsOf(text: string): Array<{ path: string; message: string }> {
  try {
    parseConfig(text, 'test.yaml', {});
  } catch (err) {
    expect((err as ConfigError).code).toBe('CONFIG_INVALID');
    return [...(err as ConfigError).problems];
  }
  throw new Error('expected the config to be rejected');
}

describe('config', () => {
  it('fills every default and freezes the result', () => {
    const config = parseConfig(MINIMAL, 'test.yaml', {});
    expect(config.listeners.http.port).toBe(8801);
    expect(config.listeners.grpc.port).toBe(50051);
    expect(config.listeners.metrics.port).toBe(9190);
    expect(config.autoModelNames).toEqual(['auto', 'MoM']);
    expect(config.cache.backend).toBe('embedded');
    expect(config.guards.jailbreak.failurePolicy).toBe('closed');
    expect(config.models[0]!.piiPolicy.allow).toEqual([]);
    expect(Object.isFrozen(config.models[0]!.endpoints)).toBe(true);
    expect(() => {
      (config as { defaultModel: string }).defaultModel = 'x';
    }).toThrow();
  });

  it('lists every problem of a config with several mistakes, each with its path', () => {
    const problems = problemsOf(`
listeners: { http: { port: 99999 } }
defaultModel: missing
models:
  - name: a
    endpoints: [{ url: "ftp://nope", weight: -1 }]
    colour: blue
cache: { similarityThreshold: 1.5 }
`);
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'listeners.http.port',
        'models[0].endpoints[0].url',
        'models[0].endpoints[0].weight',
        'models[0]',
        'cache.similarityThreshold',
      ]),
    );
    expect(problems.find((p) => p.path === 'models[0]')!.message).toContain('colour');
  });

  it('reports cross-field mistakes: unknown default model, unknown model in scores, duplicates', () => {
    const problems = problemsOf(`
defaultModel: nope
models:
  - { name: a, endpoints: [{ url: "http://x:1" }] }
  - { name: a, endpoints: [{ url: "http://x:1" }] }
categories:
  - { name: math, modelScores: [{ model: ghost, score: 0.5 }] }
  - { name: legal, signal: custom }
`);
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath['defaultModel']).toContain('nope');
    expect(byPath['models[1].name']).toContain('duplicate');
    expect(byPath['categories[0].modelScores[0].model']).toContain('ghost');
    expect(byPath['categories[1].examples']).toContain('examples');
  });

  it('names YAML syntax errors and non-mapping documents', () => {
    expect(problemsOf('models: [unclosed')[0]!.message).toMatch(/YAML syntax/);
    expect(problemsOf('- just\n- a list')[0]!.message).toMatch(/mapping/);
  });

  it('applies environment overrides', () => {
    const config = parseConfig(MINIMAL, 'test.yaml', {
      SR_HTTP_PORT: '9000',
      NATS_URL: 'nats://n:4222',
      SR_BUS_MODE: 'nats',
    });
    expect(config.listeners.http.port).toBe(9000);
    expect(config.bus.mode).toBe('nats');
    expect(config.bus.nats.url).toBe('nats://n:4222');
  });

  it('validates the shipped config/config.yaml', () => {
    const config = loadConfigFile(join(__dirname, '../../../config/config.yaml'), {});
    expect(config.models.length).toBeGreaterThan(1);
  });

  it('reports a missing file with CONFIG_NOT_FOUND', () => {
    expect(() => loadConfigFile('/nonexistent/config.yaml', {})).toThrow(
      expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }),
    );
  });
});

describe('config hot reload', () => {
  const waitFor = async (cond: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('applies a valid edit and keeps the running config on an invalid one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-config-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, MINIMAL);
    const store = new ConfigStore({ file, initial: loadConfigFile(file, {}), debounceMs: 50, env: {} });
    const seen: string[] = [];
    store.onChange((c) => seen.push(c.defaultModel));
    store.start();
    try {
      writeFileSync(file, MINIMAL.replace(/\ba\b/g, 'b'));
      await waitFor(() => store.config.defaultModel === 'b');
      expect(seen).toEqual(['b']);

      writeFileSync(file, `${MINIMAL.replace(/\ba\b/g, 'b')}\ncache: { ttlSeconds: -5 }\n`);
      await waitFor(() => store.counts.rejected === 1);
      expect(store.config.defaultModel).toBe('b');
      expect(store.config.cache.ttlSeconds).toBe(3600);
      expect(seen).toEqual(['b']);
    } finally {
      store.stop();
    }
  });

  it('sees a Kubernetes ConfigMap symlink swap', async () => {
    // ConfigMap layout: config.yaml -> ..data/config.yaml, ..data -> ..<timestamp>/
    const dir = mkdtempSync(join(tmpdir(), 'sr-configmap-'));
    mkdirSync(join(dir, '..v1'));
    writeFileSync(join(dir, '..v1', 'config.yaml'), MINIMAL);
    symlinkSync('..v1', join(dir, '..data'));
    symlinkSync('..data/config.yaml', join(dir, 'config.yaml'));
    const file = join(dir, 'config.yaml');
    const store = new ConfigStore({ file, initial: loadConfigFile(file, {}), debounceMs: 50, env: {} });
    store.start();
    try {
      mkdirSync(join(dir, '..v2'));
      writeFileSync(join(dir, '..v2', 'config.yaml'), MINIMAL.replace(/\ba\b/g, 'c'));
      symlinkSync('..v2', join(dir, '..data_tmp'));
      renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
      await waitFor(() => store.config.defaultModel === 'c');
      expect(readFileSync(file, 'utf8')).toContain('name: c');
    } finally {
      store.stop();
    }
  });
});

describe('docs/configuration.md', () => {
  it('documents every config key', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/configuration.md'), 'utf8');
    const missing = configKeyPaths().filter((key) => !doc.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });
});

describe('docs/metrics.md', () => {
  it('documents every metric the services register', () => {
    const root = join(__dirname, '../../..');
    const doc = readFileSync(join(root, 'docs/metrics.md'), 'utf8');
    const list = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? list(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    const names = new Set(
      [
        'libs/shared/src',
        ...['extproc-gateway', 'guard-worker', 'classifier-worker', 'cache-service'].map(
          (s) => `services/${s}/src`,
        ),
      ]
        .flatMap((d) => list(join(root, d)))
        .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/'(sr_[a-z0-9_]+)'/g)].map((m) => m[1]!)),
    );
    expect(names.size).toBeGreaterThan(20);
    expect([...names].filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
  });
});
