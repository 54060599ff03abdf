import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { parseConfig } from '@sr/shared';

/**
 * Offline checks of what `docker compose up` and `kubectl apply -k k8s/` would run: no Docker
 * engine, Kubernetes or Envoy exists on these machines, so the files are validated with the tools
 * that do run here (docker-compose's own schema check, promtool, kubernetes-models' schemas) and
 * cross-checked against the code (config schema, entry points, metric names).
 */
const ROOT = join(__dirname, '../..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const has = (bin: string) => spawnSync(bin, ['--version']).status === 0;

describe('docker compose', () => {
  const compose = parse(read('docker-compose.yml')) as {
    services: Record<string, { command?: string[]; ports?: string[] }>;
  };

  it('runs every service of the router and what surrounds it', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'cache-service',
        'classifier-worker',
        'demo-upstream',
        'envoy',
        'extproc-gateway',
        'grafana',
        'guard-worker',
        'jaeger',
        'nats',
        'prometheus',
        'qdrant',
      ].sort(),
    );
  });

  it('starts each router service from an entry point that exists in the source tree', () => {
    const scripts = Object.values(compose.services)
      .map((svc) => svc.command?.find((part) => part.endsWith('dist/main.js')))
      .filter((s): s is string => Boolean(s));
    expect(scripts.length).toBe(5);
    for (const script of scripts) {
      expect(existsSync(join(ROOT, script.replace('/dist/main.js', '/src/main.ts')))).toBe(true);
    }
  });

  const composeCli = has('docker-compose');
  (composeCli ? it : it.skip)(
    `passes docker-compose config validation${composeCli ? '' : ' (skipped: docker-compose is not installed)'}`,
    () => {
      const run = spawnSync('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config', '-q'], {
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    },
  );

  it('health-checks each router service on the readiness endpoint of the configured metrics port', () => {
    const config = parseConfig(read('deploy/config/config.yaml'), 'deploy/config/config.yaml', {});
    const raw = parse(read('docker-compose.yml'), { merge: true }) as {
      services: Record<string, { healthcheck?: { test: string[] }; command?: string[] }>;
    };
    for (const name of ['guard-worker', 'classifier-worker', 'cache-service', 'extproc-gateway']) {
      const check = raw.services[name]!.healthcheck?.test.join(' ') ?? '';
      expect(check).toContain(`127.0.0.1:${config.listeners.metrics.port}/readyz`);
    }
    const gateway = compose.services['extproc-gateway']!;
    expect(gateway.ports).toEqual(
      expect.arrayContaining([
        `8802:${config.listeners.http.port}`,
        `${config.listeners.grpc.port}:${config.listeners.grpc.port}`,
      ]),
    );
  });

  it('mounts a distributed-mode config that passes the schema (NATS bus, Qdrant cache, tracing on)', () => {
    const config = parseConfig(read('deploy/config/config.yaml'), 'deploy/config/config.yaml', {});
    expect(config.bus.mode).toBe('nats');
    expect(config.cache.backend).toBe('qdrant');
    expect(config.observability.tracing.enabled).toBe(true);
  });
});

describe('Kubernetes manifests', () => {
  type K8sObject = { apiVersion: string; kind: string; metadata: { name: string } };
  const kustomization = parse(read('k8s/kustomization.yaml')) as { resources: string[] };
  const objects: K8sObject[] = kustomization.resources.flatMap((file) =>
    parseAllDocuments(read(join('k8s', file))).map((d) => d.toJS() as K8sObject),
  );

  /* eslint-disable @typescript-eslint/no-require-imports */
  const MODELS: Record<string, () => new (o: unknown) => { validate(): void }> = {
    'v1/Namespace': () => require('kubernetes-models/v1').Namespace,
    'v1/Service': () => require('kubernetes-models/v1').Service,
    'v1/ConfigMap': () => require('kubernetes-models/v1').ConfigMap,
    'apps/v1/Deployment': () => require('kubernetes-models/apps/v1').Deployment,
    'apps/v1/StatefulSet': () => require('kubernetes-models/apps/v1').StatefulSet,
    'autoscaling/v2/HorizontalPodAutoscaler': () =>
      require('kubernetes-models/autoscaling/v2').HorizontalPodAutoscaler,
    'policy/v1/PodDisruptionBudget': () => require('kubernetes-models/policy/v1').PodDisruptionBudget,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */

  it('validates every object against the Kubernetes schemas', () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const obj of objects) {
      const kind = `${obj.apiVersion}/${obj.kind}`;
      const Model = MODELS[kind];
      expect({ kind, known: Boolean(Model) }).toEqual({ kind, known: true });
      expect(() => new (Model!())(obj).validate()).not.toThrow();
    }
  });

  it('rejects a broken manifest (the validation is real)', () => {
    const Deployment = MODELS['apps/v1/Deployment']!();
    expect(() => new Deployment({ metadata: { name: 'x' }, spec: { replicas: 'two' } }).validate()).toThrow();
  });

  it('has a Deployment probed on /readyz and /healthz and a Service per router service, HPAs for workers', () => {
    type Dep = {
      spec: {
        template: {
          spec: {
            containers: Array<{
              readinessProbe: { httpGet: { path: string } };
              livenessProbe: { httpGet: { path: string } };
            }>;
          };
        };
      };
    };
    const named = (kind: string, name: string) =>
      objects.find((o) => o.kind === kind && o.metadata.name === name);
    for (const name of ['extproc-gateway', 'guard-worker', 'classifier-worker', 'cache-service']) {
      const dep = named('Deployment', name) as unknown as Dep | undefined;
      expect(dep).toBeDefined();
      expect(dep!.spec.template.spec.containers[0]!.readinessProbe.httpGet.path).toBe('/readyz');
      expect(dep!.spec.template.spec.containers[0]!.livenessProbe.httpGet.path).toBe('/healthz');
      expect(named('Service', name)).toBeDefined();
    }
    for (const name of ['guard-worker', 'classifier-worker']) {
      expect(named('HorizontalPodAutoscaler', name)).toBeDefined();
    }
    expect(named('StatefulSet', 'qdrant')).toBeDefined();
    expect(named('StatefulSet', 'nats')).toBeDefined();
  });

  it('cross-references: selectors match pod labels, named ports exist, ConfigMaps exist, PDBs and HPAs target real workloads', () => {
    type Pod = {
      metadata?: { labels?: Record<string, string> };
      spec: {
        containers: Array<{ ports?: Array<{ name: string }> }>;
        volumes?: Array<{ configMap?: { name: string } }>;
      };
    };
    type Workload = K8sObject & {
      spec: { selector: { matchLabels: Record<string, string> }; template: Pod };
    };
    const workloads = objects.filter(
      (o) => o.kind === 'Deployment' || o.kind === 'StatefulSet',
    ) as Workload[];
    const matches = (sel: Record<string, string>, labels: Record<string, string> = {}) =>
      Object.entries(sel).every(([k, v]) => labels[k] === v);
    const generated = (
      parse(read('k8s/kustomization.yaml')) as { configMapGenerator: Array<{ name: string }> }
    ).configMapGenerator.map((g) => g.name);
    const configMaps = new Set([
      ...generated,
      ...objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name),
    ]);
    for (const w of workloads) {
      expect({
        w: w.metadata.name,
        ok: matches(w.spec.selector.matchLabels, w.spec.template.metadata?.labels),
      }).toEqual({
        w: w.metadata.name,
        ok: true,
      });
      for (const v of w.spec.template.spec.volumes ?? []) {
        if (v.configMap)
          expect({
            w: w.metadata.name,
            cm: v.configMap.name,
            exists: configMaps.has(v.configMap.name),
          }).toMatchObject({ exists: true });
      }
    }
    for (const svc of objects.filter((o) => o.kind === 'Service') as Array<
      K8sObject & {
        spec: { selector: Record<string, string>; ports: Array<{ targetPort: string | number }> };
      }
    >) {
      const target = workloads.find((w) => matches(svc.spec.selector, w.spec.template.metadata?.labels));
      expect({ svc: svc.metadata.name, hasPods: Boolean(target) }).toEqual({
        svc: svc.metadata.name,
        hasPods: true,
      });
      const portNames = new Set(
        target!.spec.template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name)),
      );
      for (const p of svc.spec.ports) {
        if (typeof p.targetPort === 'string')
          expect({
            svc: svc.metadata.name,
            port: p.targetPort,
            ok: portNames.has(p.targetPort),
          }).toMatchObject({ ok: true });
      }
    }
    for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget') as Array<
      K8sObject & { spec: { selector: { matchLabels: Record<string, string> } } }
    >) {
      expect(
        workloads.some((w) => matches(pdb.spec.selector.matchLabels, w.spec.template.metadata?.labels)),
      ).toBe(true);
    }
    for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler') as Array<
      K8sObject & { spec: { scaleTargetRef: { name: string } } }
    >) {
      expect(workloads.map((w) => w.metadata.name)).toContain(hpa.spec.scaleTargetRef.name);
    }
    const nats = workloads.find((w) => w.metadata.name === 'nats') as unknown as {
      spec: { replicas: number };
    };
    expect(nats.spec.replicas).toBe(3);
  });

  it('GPU overlay: the workers get a GPU, GPU nodes and the CUDA execution provider, and still validate', () => {
    const patch = parse(read('k8s/overlays/gpu/gpu-workers.yaml')) as Array<{
      op: string;
      path: string;
      value: unknown;
    }>;
    const Deployment = MODELS['apps/v1/Deployment']!();
    for (const name of ['classifier-worker', 'guard-worker']) {
      const dep = structuredClone(
        objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name),
      ) as unknown as Record<string, unknown>;
      for (const op of patch) {
        const keys = op.path
          .split('/')
          .slice(1)
          .map((k) => k.replace('~1', '/'));
        let node = dep as Record<string, unknown>;
        for (const k of keys.slice(0, -1))
          node = (Array.isArray(node) ? node[Number(k)] : node[k]) as Record<string, unknown>;
        node[keys.at(-1)!] = op.value;
      }
      expect(() => new Deployment(dep).validate()).not.toThrow();
      expect(JSON.stringify(dep)).toContain('"nvidia.com/gpu":1');
    }
    const gpuConfig = parseConfig(read('k8s/overlays/gpu/config.yaml'), 'gpu/config.yaml', {});
    expect(gpuConfig.classifiers.executionProviders[0]).toBe('cuda');
  });

  it('ships the same router and Envoy config as docker compose', () => {
    expect(read('k8s/config.yaml')).toBe(read('deploy/config/config.yaml'));
    expect(read('k8s/envoy-config.yaml')).toBe(read('deploy/envoy/envoy.yaml'));
  });
});

describe('Prometheus and Grafana', () => {
  const promtool = has('promtool');
  const why = promtool ? '' : ' (skipped: promtool is not installed; .ci/run installs Debian prometheus)';
  (promtool ? it : it.skip)(`promtool accepts the scrape config and the alert rules${why}`, () => {
    const config = spawnSync(
      'promtool',
      ['check', 'config', join(ROOT, 'deploy/prometheus/prometheus.yml')],
      {
        encoding: 'utf8',
      },
    );
    expect(config.status).toBe(0);
    const rules = spawnSync('promtool', ['check', 'rules', join(ROOT, 'deploy/prometheus/alerts.yml')], {
      encoding: 'utf8',
    });
    expect(rules.stdout).toContain('SUCCESS: 4 rules found');
    expect(rules.status).toBe(0);
  });

  it('alerts on error rate, p99 latency and guard unavailability', () => {
    const rules = parse(read('deploy/prometheus/alerts.yml')) as {
      groups: Array<{ rules: Array<{ alert: string }> }>;
    };
    const names = rules.groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(names).toEqual(
      expect.arrayContaining([
        'SemanticRouterHighErrorRate',
        'SemanticRouterHighLatency',
        'SemanticRouterGuardUnavailable',
      ]),
    );
  });

  it('queries only metric names that the services register', () => {
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/semantic-router.json')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const exprs = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
      read('deploy/prometheus/alerts.yml'),
    ].join('\n');
    const used = new Set(
      [...exprs.matchAll(/\b(sr_[a-z0-9_]+)\b/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, '')),
    );
    const sources = [
      'libs/shared/src',
      'services/extproc-gateway/src',
      'services/guard-worker/src',
      'services/classifier-worker/src',
      'services/cache-service/src',
    ]
      .flatMap((dir) => listTs(join(ROOT, dir)))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const missing = [...used].filter((name) => !sources.includes(`'${name}'`));
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(10);
  });
});

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTs(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}
