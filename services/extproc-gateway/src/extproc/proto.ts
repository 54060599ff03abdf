import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';

/**
 * The package's `proto/` folder. This file runs from `src/extproc/` (jest) or `dist/extproc/`
 * (after `tsc --build`); both are two levels below the package root, so one relative path fits.
 */
export const PROTO_DIR = resolve(__dirname, '..', '..', 'proto');

export const EXT_PROC_PROTO = 'envoy/service/ext_proc/v3/external_processor.proto';
export const EXT_PROC_SERVICE = 'envoy.service.ext_proc.v3.ExternalProcessor';

/**
 * Loader options: proto field names as on the wire (`request_headers`, `raw_value`), enums as
 * their names, bytes as Buffers, and the name of the set oneof member in `request` / `response`
 * (so a message's kind is one property read, not a probe of six fields).
 */
export const LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: String,
  enums: String,
  bytes: Buffer,
  defaults: false,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

let cached: PackageDefinition | undefined;

/** Loads (once) the ext_proc package definition from the bundled protos. */
export function loadExtProcDefinition(): PackageDefinition {
  if (cached) return cached;
  const file = join(PROTO_DIR, EXT_PROC_PROTO);
  if (!existsSync(file)) {
    // A clear error instead of proto-loader's ENOENT when the package was copied without proto/.
    throw new Error(`ext_proc proto not found at ${file}: ship the package's proto/ folder beside dist/`);
  }
  cached = loadSync(EXT_PROC_PROTO, LOADER_OPTIONS);
  return cached;
}

/** The `ExternalProcessor` service definition for `grpc.Server#addService` and clients. */
export function extProcServiceDefinition(): ServiceDefinition {
  const def = loadExtProcDefinition()[EXT_PROC_SERVICE];
  if (!def || !('Process' in def)) throw new Error(`${EXT_PROC_SERVICE} missing from ${EXT_PROC_PROTO}`);
  return def as unknown as ServiceDefinition;
}

// ---- The decoded / encodable shapes of the messages we use (proto names, see LOADER_OPTIONS) ----

export interface HeaderValue {
  key: string;
  value?: string;
  raw_value?: Buffer | Uint8Array;
}

export interface HeaderMap {
  headers?: HeaderValue[];
}

export type HeaderAppendAction =
  'APPEND_IF_EXISTS_OR_ADD' | 'ADD_IF_ABSENT' | 'OVERWRITE_IF_EXISTS_OR_ADD' | 'OVERWRITE_IF_EXISTS';

export interface HeaderValueOption {
  header: HeaderValue;
  append_action?: HeaderAppendAction;
  keep_empty_value?: boolean;
}

export interface HttpHeaders {
  headers?: HeaderMap | null;
  end_of_stream?: boolean;
}

export interface HttpBody {
  body?: Buffer | Uint8Array;
  end_of_stream?: boolean;
}

export interface HttpTrailers {
  trailers?: HeaderMap | null;
}

export type BodySendMode = 'NONE' | 'STREAMED' | 'BUFFERED' | 'BUFFERED_PARTIAL' | 'FULL_DUPLEX_STREAMED';
export type HeaderSendMode = 'DEFAULT' | 'SEND' | 'SKIP';

export interface ProcessingMode {
  request_header_mode?: HeaderSendMode;
  response_header_mode?: HeaderSendMode;
  request_body_mode?: BodySendMode;
  response_body_mode?: BodySendMode;
  request_trailer_mode?: HeaderSendMode;
  response_trailer_mode?: HeaderSendMode;
}

export interface ProtocolConfiguration {
  request_body_mode?: BodySendMode;
  response_body_mode?: BodySendMode;
  send_body_without_waiting_for_header_response?: boolean;
}

export type ProcessingRequestKind =
  | 'request_headers'
  | 'response_headers'
  | 'request_body'
  | 'response_body'
  | 'request_trailers'
  | 'response_trailers';

export interface ProcessingRequest {
  /** Name of the set oneof member (from `oneofs: true`). */
  request?: ProcessingRequestKind;
  request_headers?: HttpHeaders;
  response_headers?: HttpHeaders;
  request_body?: HttpBody;
  response_body?: HttpBody;
  request_trailers?: HttpTrailers;
  response_trailers?: HttpTrailers;
  metadata_context?: unknown;
  attributes?: Record<string, unknown>;
  observability_mode?: boolean;
  protocol_config?: ProtocolConfiguration | null;
}

export interface HeaderMutation {
  set_headers?: HeaderValueOption[];
  remove_headers?: string[];
}

export type BodyMutation = { body: Buffer | Uint8Array } | { clear_body: boolean };

export interface CommonResponse {
  status?: 'CONTINUE' | 'CONTINUE_AND_REPLACE';
  header_mutation?: HeaderMutation;
  body_mutation?: BodyMutation;
  clear_route_cache?: boolean;
}

export interface ImmediateResponse {
  status: { code: number };
  headers?: HeaderMutation;
  body?: Buffer | Uint8Array;
  details?: string;
}

export interface ProcessingResponse {
  request_headers?: { response?: CommonResponse };
  response_headers?: { response?: CommonResponse };
  request_body?: { response?: CommonResponse };
  response_body?: { response?: CommonResponse };
  request_trailers?: { header_mutation?: HeaderMutation };
  response_trailers?: { header_mutation?: HeaderMutation };
  immediate_response?: ImmediateResponse;
  mode_override?: ProcessingMode;
  /** Set by the decoder (`oneofs: true`) on received responses; ignored when encoding. */
  response?: string;
}
