/**
 * Pins wire compatibility with Envoy. Envoy and we only agree on field numbers, so these tests
 * (1) check every field number of our .proto subset against the numbers in Envoy's published
 * API (copied below from envoyproxy/envoy `api/`), and (2) encode / decode raw protobuf bytes
 * by hand with protobufjs' Writer/Reader, independent of our .proto files, and check that our
 * loaded definitions read and write exactly those bytes.
 */
import { join } from 'node:path';
import { Reader, Root, Writer, type Type, type Enum } from 'protobufjs';
import { EXT_PROC_PROTO, PROTO_DIR, loadExtProcDefinition } from '../../src/extproc/proto';
import { continueResponseHeaders, immediateError } from '../../src/extproc/responses';
import { headerMutation } from '../../src/extproc/headers';

/** message → field → number, as published by Envoy (api/envoy/...; see docs/extproc.md). */
const ENVOY_FIELD_NUMBERS: Record<string, Record<string, number>> = {
  'envoy.service.ext_proc.v3.ProcessingRequest': {
    request_headers: 2,
    response_headers: 3,
    request_body: 4,
    response_body: 5,
    request_trailers: 6,
    response_trailers: 7,
    metadata_context: 8,
    attributes: 9,
    observability_mode: 10,
    protocol_config: 11,
  },
  'envoy.service.ext_proc.v3.ProtocolConfiguration': {
    request_body_mode: 1,
    response_body_mode: 2,
    send_body_without_waiting_for_header_response: 3,
  },
  'envoy.service.ext_proc.v3.ProcessingResponse': {
    request_headers: 1,
    response_headers: 2,
    request_body: 3,
    response_body: 4,
    request_trailers: 5,
    response_trailers: 6,
    immediate_response: 7,
    dynamic_metadata: 8,
    mode_override: 9,
    override_message_timeout: 10,
  },
  'envoy.service.ext_proc.v3.HttpHeaders': { headers: 1, end_of_stream: 3 },
  'envoy.service.ext_proc.v3.HttpBody': { body: 1, end_of_stream: 2 },
  'envoy.service.ext_proc.v3.HttpTrailers': { trailers: 1 },
  'envoy.service.ext_proc.v3.HeadersResponse': { response: 1 },
  'envoy.service.ext_proc.v3.BodyResponse': { response: 1 },
  'envoy.service.ext_proc.v3.TrailersResponse': { header_mutation: 1 },
  'envoy.service.ext_proc.v3.CommonResponse': {
    status: 1,
    header_mutation: 2,
    body_mutation: 3,
    trailers: 4,
    clear_route_cache: 5,
  },
  'envoy.service.ext_proc.v3.ImmediateResponse': {
    status: 1,
    headers: 2,
    body: 3,
    grpc_status: 4,
    details: 5,
  },
  'envoy.service.ext_proc.v3.GrpcStatus': { status: 1 },
  'envoy.service.ext_proc.v3.HeaderMutation': { set_headers: 1, remove_headers: 2 },
  'envoy.service.ext_proc.v3.StreamedBodyResponse': { body: 1, end_of_stream: 2 },
  'envoy.service.ext_proc.v3.BodyMutation': { body: 1, clear_body: 2, streamed_response: 3 },
  'envoy.config.core.v3.Metadata': { filter_metadata: 1 },
  'envoy.config.core.v3.HeaderValue': { key: 1, value: 2, raw_value: 3 },
  'envoy.config.core.v3.HeaderValueOption': { header: 1, append: 2, append_action: 3, keep_empty_value: 4 },
  'envoy.config.core.v3.HeaderMap': { headers: 1 },
  'envoy.type.v3.HttpStatus': { code: 1 },
  'envoy.extensions.filters.http.ext_proc.v3.ProcessingMode': {
    request_header_mode: 1,
    response_header_mode: 2,
    request_body_mode: 3,
    response_body_mode: 4,
    request_trailer_mode: 5,
    response_trailer_mode: 6,
  },
};

const ENVOY_ENUMS: Record<string, Record<string, number>> = {
  'envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode': {
    NONE: 0,
    STREAMED: 1,
    BUFFERED: 2,
    BUFFERED_PARTIAL: 3,
    FULL_DUPLEX_STREAMED: 4,
  },
  'envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode': { DEFAULT: 0, SEND: 1, SKIP: 2 },
  'envoy.service.ext_proc.v3.CommonResponse.ResponseStatus': { CONTINUE: 0, CONTINUE_AND_REPLACE: 1 },
  'envoy.config.core.v3.HeaderValueOption.HeaderAppendAction': {
    APPEND_IF_EXISTS_OR_ADD: 0,
    ADD_IF_ABSENT: 1,
    OVERWRITE_IF_EXISTS_OR_ADD: 2,
    OVERWRITE_IF_EXISTS: 3,
  },
};

describe('our .proto subset uses Envoy field numbers', () => {
  const full = new Root();
  // protobufjs resolves imports relative to the importing file; Envoy's are relative to the root.
  full.resolvePath = (_origin, target) =>
    target.startsWith('google/') || target.startsWith('/') ? target : join(PROTO_DIR, target);
  full.loadSync(EXT_PROC_PROTO, { keepCase: true });
  full.resolveAll();

  it.each(Object.entries(ENVOY_FIELD_NUMBERS))('%s', (name, fields) => {
    const type = full.lookupType(name);
    for (const [field, id] of Object.entries(fields)) {
      expect({ field, id: type.fields[field]?.id }).toEqual({ field, id });
    }
  });

  it.each(Object.entries(ENVOY_ENUMS))('enum %s', (name, values) => {
    const e = full.lookupEnum(name) as Enum;
    expect(e.values).toEqual(values);
  });

  it('declares the Process rpc as a bidirectional stream with Envoy names', () => {
    const svc = full.lookupService('envoy.service.ext_proc.v3.ExternalProcessor');
    const m = svc.methods['Process']!;
    expect([m.requestType, m.responseType, m.requestStream, m.responseStream]).toEqual([
      'ProcessingRequest',
      'ProcessingResponse',
      true,
      true,
    ]);
  });

  it('the request and response oneofs hold exactly Envoy members', () => {
    const req = full.lookupType('envoy.service.ext_proc.v3.ProcessingRequest') as Type;
    expect(req.oneofs['request']!.fieldsArray.map((f) => f.name)).toEqual([
      'request_headers',
      'response_headers',
      'request_body',
      'response_body',
      'request_trailers',
      'response_trailers',
    ]);
  });
});

/** Hand-encoded HeaderValue {key=1, raw_value=3}. */
function headerValue(key: string, value: string): Uint8Array {
  return Writer.create()
    .uint32((1 << 3) | 2)
    .string(key)
    .uint32((3 << 3) | 2)
    .bytes(Buffer.from(value))
    .finish();
}

function lengthDelimited(w: Writer, field: number, bytes: Uint8Array): Writer {
  return w.uint32((field << 3) | 2).bytes(bytes);
}

describe('bytes Envoy sends decode as expected', () => {
  const def = loadExtProcDefinition()['envoy.service.ext_proc.v3.ExternalProcessor'] as unknown as {
    Process: {
      requestDeserialize(b: Buffer): Record<string, unknown>;
      responseSerialize(v: unknown): Buffer;
    };
  };

  it('request_headers (field 2) with raw_value headers and end_of_stream (field 3)', () => {
    const map = Writer.create();
    lengthDelimited(map, 1, headerValue(':path', '/v1/chat/completions'));
    lengthDelimited(map, 1, headerValue('x-request-id', 'abc'));
    const httpHeaders = lengthDelimited(Writer.create(), 1, map.finish())
      .uint32(3 << 3)
      .bool(true)
      .finish();
    const msg = lengthDelimited(Writer.create(), 2, httpHeaders)
      .uint32(10 << 3)
      .bool(false)
      .finish();

    const decoded = def.Process.requestDeserialize(Buffer.from(msg));
    expect(decoded['request']).toBe('request_headers');
    const rh = decoded['request_headers'] as {
      headers: { headers: Array<{ key: string; raw_value: Buffer }> };
      end_of_stream: boolean;
    };
    expect(rh.end_of_stream).toBe(true);
    expect(rh.headers.headers.map((h) => [h.key, h.raw_value.toString()])).toEqual([
      [':path', '/v1/chat/completions'],
      ['x-request-id', 'abc'],
    ]);
  });

  it('request_body (field 4) and response_body (field 5), unknown fields skipped', () => {
    const body = Writer.create()
      .uint32((1 << 3) | 2)
      .bytes(Buffer.from('{"a":1}'))
      .uint32(2 << 3)
      .bool(true);
    // Field 3 of HttpBody exists in newer Envoy (GRPC body mode); we must skip it, not fail.
    body.uint32(3 << 3).bool(true);
    const bytes = body.finish();
    const req = def.Process.requestDeserialize(
      Buffer.from(lengthDelimited(Writer.create(), 4, bytes).finish()),
    );
    expect(req['request']).toBe('request_body');
    expect((req['request_body'] as { body: Buffer }).body.toString()).toBe('{"a":1}');
    const res = def.Process.requestDeserialize(
      Buffer.from(lengthDelimited(Writer.create(), 5, bytes).finish()),
    );
    expect(res['request']).toBe('response_body');
  });

  it('protocol_config (field 11) carries the body modes as enum numbers', () => {
    const cfg = Writer.create()
      .uint32(1 << 3)
      .int32(2)
      .uint32(2 << 3)
      .int32(1)
      .finish();
    const msg = lengthDelimited(Writer.create(), 11, cfg).finish();
    const decoded = def.Process.requestDeserialize(Buffer.from(msg));
    expect(decoded['protocol_config']).toMatchObject({
      request_body_mode: 'BUFFERED',
      response_body_mode: 'STREAMED',
    });
  });

  /** Reads a message into field number → list of raw values (bytes for length-delimited). */
  function fields(bytes: Uint8Array): Map<number, Array<Uint8Array | number>> {
    const r = Reader.create(bytes);
    const out = new Map<number, Array<Uint8Array | number>>();
    while (r.pos < r.len) {
      const tag = r.uint32();
      const [field, wire] = [tag >>> 3, tag & 7];
      const value = wire === 2 ? r.bytes() : wire === 0 ? r.uint32() : (r.skipType(wire), -1);
      out.set(field, [...(out.get(field) ?? []), value]);
    }
    return out;
  }
  const one = (m: Map<number, Array<Uint8Array | number>>, f: number): Uint8Array =>
    m.get(f)![0] as Uint8Array;

  it('immediate_response is field 7: status{code}=1, headers=2, body=3, details=5', () => {
    const bytes = def.Process.responseSerialize(
      immediateError('JAILBREAK_DETECTED', 'blocked', { 'x-request-id': 'r1' }, 'raw_value'),
    );
    const top = fields(bytes);
    expect([...top.keys()]).toEqual([7]);
    const imm = fields(one(top, 7));
    expect(fields(one(imm, 1)).get(1)).toEqual([403]);
    const setHeaders = fields(one(imm, 2))
      .get(1)!
      .map((b) => fields(b as Uint8Array));
    const pairs = setHeaders.map((h) => {
      const hv = fields(one(h, 1));
      return [Buffer.from(one(hv, 1)).toString(), Buffer.from(one(hv, 3)).toString(), h.get(3)?.[0]];
    });
    // raw_value (3) carries the value; append_action (3 on the option) = OVERWRITE_IF_EXISTS_OR_ADD (2).
    expect(pairs).toEqual([
      ['content-type', 'application/json', 2],
      ['x-request-id', 'r1', 2],
    ]);
    expect(JSON.parse(Buffer.from(one(imm, 3)).toString())).toEqual({
      error: { message: 'blocked', type: 'invalid_request_error', code: 'jailbreak_detected', param: null },
    });
    expect(Buffer.from(one(imm, 5)).toString()).toBe('semantic_router_jailbreak_detected');
  });

  it('request_body answer is field 3 with CommonResponse header_mutation=2, body_mutation=3, clear_route_cache=5', () => {
    const bytes = def.Process.responseSerialize({
      request_body: {
        response: {
          status: 'CONTINUE',
          header_mutation: headerMutation({ 'x-selected-model': 'm' }, ['content-length'], 'value'),
          body_mutation: { body: Buffer.from('{}') },
          clear_route_cache: true,
        },
      },
    });
    const top = fields(bytes);
    expect([...top.keys()]).toEqual([3]);
    const common = fields(one(fields(one(top, 3)), 1));
    expect(common.get(5)).toEqual([1]);
    expect(Buffer.from(one(fields(one(common, 3)), 1)).toString()).toBe('{}');
    const mutation = fields(one(common, 2));
    expect(Buffer.from(one(mutation, 2)).toString()).toBe('content-length');
    const hv = fields(one(fields(one(mutation, 1)), 1));
    // The `value` (2) variant, for Envoy with send_header_raw_value off.
    expect(Buffer.from(one(hv, 2)).toString()).toBe('m');
    expect(hv.has(3)).toBe(false);
  });

  it('clear_body (BodyMutation field 2) is sent even though false would be the default', () => {
    const bytes = def.Process.responseSerialize({
      response_body: { response: { body_mutation: { clear_body: true } } },
    });
    const common = fields(one(fields(one(fields(bytes), 4)), 1));
    expect(fields(one(common, 3)).get(2)).toEqual([1]);
  });

  it('an empty replacement body is still a present body mutation (oneof presence)', () => {
    const bytes = def.Process.responseSerialize({
      response_body: { response: { body_mutation: { body: Buffer.alloc(0) } } },
    });
    const common = fields(one(fields(one(fields(bytes), 4)), 1));
    expect(fields(one(common, 3)).has(1)).toBe(true);
  });

  it('mode_override is field 9 with response_body_mode (4) = STREAMED (1)', () => {
    const bytes = def.Process.responseSerialize(
      continueResponseHeaders(undefined, { response_body_mode: 'STREAMED' }),
    );
    const top = fields(bytes);
    expect([...top.keys()].sort()).toEqual([2, 9]);
    expect(fields(one(top, 9)).get(4)).toEqual([1]);
  });
});
