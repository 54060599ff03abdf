/**
 * Envoy cannot run on the build machines, so the settings of deploy/envoy/envoy.yaml that the
 * ExtProc server depends on are checked here, against the server's own constants and the
 * repository's default config (config/config.yaml).
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfigFile, type RouterConfig } from '@sr/shared';
import { GATEWAY_HEADERS } from '../../src/index';

const ROOT = join(__dirname, '..', '..', '..', '..');

/* eslint-disable @typescript-eslint/no-explicit-any -- walking an untyped YAML document */
const envoy: any = parse(readFileSync(join(ROOT, 'deploy/envoy/envoy.yaml'), 'utf8'));
const config: RouterConfig = loadConfigFile(join(ROOT, 'config/config.yaml'), {});

const listener = envoy.static_resources.listeners[0];
const hcm = listener.filter_chains[0].filters[0].typed_config;
const filters: any[] = hcm.http_filters;
const extProc = filters.find((f) => f.name === 'envoy.filters.http.ext_proc').typed_config;
const routes: any[] = hcm.route_config.virtual_hosts[0].routes;
const clusters: Map<string, any> = new Map(envoy.static_resources.clusters.map((c: any) => [c.name, c]));

const seconds = (d: string): number => {
  const m = /^(\d+(?:\.\d+)?)s$/.exec(d);
  if (!m) throw new Error(`not a duration: ${d}`);
  return Number(m[1]);
};

describe('deploy/envoy/envoy.yaml', () => {
  it('listens on 8801 with header_mutation → ext_proc → router, in that order', () => {
    expect(listener.address.socket_address.port_value).toBe(8801);
    expect(filters.map((f) => f.name)).toEqual([
      'envoy.filters.http.header_mutation',
      'envoy.filters.http.ext_proc',
      'envoy.filters.http.router',
    ]);
  });

  it('fails closed, allows mode overrides, and sends what the server expects', () => {
    expect(extProc['@type']).toBe(
      'type.googleapis.com/envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor',
    );
    expect(extProc.failure_mode_allow).toBe(false);
    expect(extProc.allow_mode_override).toBe(true);
    expect(extProc.processing_mode).toEqual({
      request_header_mode: 'SEND',
      request_body_mode: 'BUFFERED',
      response_header_mode: 'SEND',
      response_body_mode: 'NONE',
      request_trailer_mode: 'SKIP',
      response_trailer_mode: 'SKIP',
    });
  });

  it('gives the gateway longer than its own safety net to answer (message_timeout)', () => {
    const t = config.timeouts;
    // Same formula as src/extproc/create.ts.
    const safetyNetMs = t.guardMs + t.classifyMs + t.cacheLookupMs + 1_000;
    expect(seconds(extProc.message_timeout) * 1000).toBeGreaterThan(safetyNetMs);
  });

  it('reaches the gateway over HTTP/2 on extproc-gateway:50051', () => {
    expect(extProc.grpc_service.envoy_grpc.cluster_name).toBe('extproc-gateway');
    const c = clusters.get('extproc-gateway');
    const opts = c.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'];
    expect(opts.explicit_http_config).toHaveProperty('http2_protocol_options');
    const addr = c.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address;
    expect([addr.address, addr.port_value]).toEqual(['extproc-gateway', 50051]);
  });

  it('strips every router-only header a client sends before ext_proc, but keeps the debug switch', () => {
    const removed = new Set(filters[0].typed_config.mutations.request_mutations.map((m: any) => m.remove));
    const routerOnly = Object.values(GATEWAY_HEADERS).filter(
      (h) => h !== GATEWAY_HEADERS.requestId && h !== GATEWAY_HEADERS.debug,
    );
    for (const h of routerOnly) expect({ h, removed: removed.has(h) }).toEqual({ h, removed: true });
    expect(removed.has(GATEWAY_HEADERS.debug)).toBe(false);
  });

  it('routes on the gateway-chosen endpoint first (ORIGINAL_DST on x-gateway-destination-endpoint)', () => {
    const first = routes[0];
    expect(first.match.headers.map((h: any) => [h.name, h.present_match])).toEqual([
      ['x-selected-model', true],
      ['x-gateway-destination-endpoint', true],
    ]);
    const dst = clusters.get(first.route.cluster);
    expect(dst.type).toBe('ORIGINAL_DST');
    expect(dst.lb_policy).toBe('CLUSTER_PROVIDED');
    expect(dst.original_dst_lb_config).toEqual({
      use_http_header: true,
      http_header_name: 'x-gateway-destination-endpoint',
    });
    expect(seconds(first.route.timeout) * 1000).toBe(config.timeouts.upstreamMs);
  });

  it('has a route on x-selected-model for every configured model (hostname endpoints)', () => {
    for (const model of config.models) {
      const route = routes.find((r) =>
        (r.match.headers ?? []).some(
          (h: any) => h.name === 'x-selected-model' && h.string_match?.exact === model.name,
        ),
      );
      expect({ model: model.name, routed: Boolean(route) }).toEqual({ model: model.name, routed: true });
      expect(clusters.has(route.route.cluster)).toBe(true);
    }
  });

  it('per-model clusters point at the hostname endpoints of the compose config (deploy/config)', () => {
    const deployed = loadConfigFile(join(ROOT, 'deploy/config/config.yaml'), {});
    for (const model of deployed.models) {
      const hosts = model.endpoints
        .map((e) => new URL(e.url))
        .filter((u) => !isIP(u.hostname))
        .map((u) => `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`);
      if (hosts.length === 0) continue; // IP endpoints go through ORIGINAL_DST
      const route = routes.find((r) =>
        (r.match.headers ?? []).some(
          (h: any) => h.name === 'x-selected-model' && h.string_match?.exact === model.name,
        ),
      );
      const cluster = route && clusters.get(route.route.cluster);
      const addresses = (cluster?.load_assignment.endpoints ?? []).flatMap((e: any) =>
        e.lb_endpoints.map(
          (l: any) =>
            `${l.endpoint.address.socket_address.address}:${l.endpoint.address.socket_address.port_value}`,
        ),
      );
      expect({ model: model.name, addresses: [...new Set(addresses)].sort() }).toEqual({
        model: model.name,
        addresses: [...new Set(hosts)].sort(),
      });
    }
  });

  it('names only clusters that exist and ends with a catch-all', () => {
    for (const r of routes) if (r.route) expect(clusters.has(r.route.cluster)).toBe(true);
    expect(routes.at(-1).match).toEqual({ prefix: '/' });
    expect(routes.at(-1).direct_response.status).toBe(404);
  });

  it("buffers bodies up to the router's body limit", () => {
    expect(listener.per_connection_buffer_limit_bytes).toBeGreaterThanOrEqual(config.limits.maxBodyBytes);
    expect(clusters.get('selected-endpoint').per_connection_buffer_limit_bytes).toBeGreaterThanOrEqual(
      config.limits.maxBodyBytes,
    );
  });

  it('pins header values to raw_value, the field the server writes by default', () => {
    expect(
      envoy.layered_runtime.layers[0].static_layer['envoy.reloadable_features.send_header_raw_value'],
    ).toBe(true);
  });

  it('echoes x-request-id and keeps a client-sent one', () => {
    expect(hcm.generate_request_id).toBe(true);
    expect(hcm.preserve_external_request_id).toBe(true);
    expect(hcm.always_set_request_id_in_response).toBe(true);
  });
});
