import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { HierarchicalNSW } from 'hnswlib-node';
import type { CacheEntry } from '../../types';
import type { ScopeSnapshot } from './scope-index';

/**
 * On-disk format of the embedded store (one file, written to a temp file then renamed):
 *
 *   "SRCACHE\n" | u32le header length | header JSON | section bytes... | sha256 of all before it
 *
 * The header names the format version, the embedder that made the vectors and the sections
 * (the entry table as JSON, then one section per scope: packed float32 vectors or an hnswlib
 * index file). Any mismatch (magic, length, checksum, version, embedder) means the file is not
 * loaded: it is moved aside and reported, and the cache starts empty.
 */
const MAGIC = Buffer.from('SRCACHE\n', 'latin1');
export const FORMAT_VERSION = 1;
const DIGEST_BYTES = 32;

export interface PersistedEntry extends CacheEntry {
  label: number;
}

export interface Snapshot {
  embedderId: string;
  dimension: number;
  savedAtMs: number;
  nextLabel: number;
  /** Least recently used first. */
  entries: PersistedEntry[];
  scopes: Array<{ scope: string; index: ScopeSnapshot }>;
}

type ScopeHeader =
  | { scope: string; kind: 'flat'; labels: number[]; length: number }
  | { scope: string; kind: 'hnsw'; labels: number[]; capacity: number; length: number };

interface Header {
  version: number;
  embedderId: string;
  dimension: number;
  savedAtMs: number;
  nextLabel: number;
  entriesLength: number;
  scopes: ScopeHeader[];
}

export type ReadOutcome =
  { status: 'missing' } | { status: 'ok'; snapshot: Snapshot } | { status: 'unusable'; reason: string };

/**
 * Serialises an hnswlib index through a temp file (the binding only writes to paths). Synchronous
 * on purpose: the binding's async write reads the graph on another thread while lookups and
 * stores keep changing it on this one; a consistent snapshot is worth a short pause.
 */
export function indexToBytes(index: HierarchicalNSW): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'sr-cache-idx-'));
  try {
    const file = join(dir, 'index.bin');
    index.writeIndexSync(file);
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function indexFromBytes(bytes: Buffer, index: HierarchicalNSW): void {
  const dir = mkdtempSync(join(tmpdir(), 'sr-cache-idx-'));
  try {
    const file = join(dir, 'index.bin');
    writeFileSync(file, bytes);
    index.readIndexSync(file, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function writeSnapshot(path: string, snapshot: Snapshot): Promise<void> {
  const entriesBytes = Buffer.from(JSON.stringify(snapshot.entries), 'utf8');
  const sections: Buffer[] = [entriesBytes];
  const scopes: ScopeHeader[] = snapshot.scopes.map(({ scope, index }) => {
    if (index.kind === 'flat') {
      const bytes = Buffer.from(index.vectors.buffer, index.vectors.byteOffset, index.vectors.byteLength);
      sections.push(bytes);
      return { scope, kind: 'flat', labels: index.labels, length: bytes.length };
    }
    sections.push(index.index);
    return {
      scope,
      kind: 'hnsw',
      labels: index.labels,
      capacity: index.capacity,
      length: index.index.length,
    };
  });
  const header: Header = {
    version: FORMAT_VERSION,
    embedderId: snapshot.embedderId,
    dimension: snapshot.dimension,
    savedAtMs: snapshot.savedAtMs,
    nextLabel: snapshot.nextLabel,
    entriesLength: entriesBytes.length,
    scopes,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  const parts = [MAGIC, length, headerBytes, ...sections];
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  parts.push(hash.digest());

  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const handle = await open(tmp, 'w');
  try {
    for (const p of parts) await handle.write(p);
    await handle.sync();
  } finally {
    await handle.close();
  }
  renameSync(tmp, path);
}

export function readSnapshot(path: string, expected: { embedderId: string; dimension: number }): ReadOutcome {
  if (!existsSync(path)) return { status: 'missing' };
  const file = readFileSync(path);
  if (file.length < MAGIC.length + 4 + DIGEST_BYTES) return { status: 'unusable', reason: 'truncated' };
  if (!file.subarray(0, MAGIC.length).equals(MAGIC)) return { status: 'unusable', reason: 'bad-magic' };
  const body = file.subarray(0, file.length - DIGEST_BYTES);
  const digest = createHash('sha256').update(body).digest();
  if (!digest.equals(file.subarray(file.length - DIGEST_BYTES))) {
    return { status: 'unusable', reason: 'checksum-mismatch' };
  }
  let offset = MAGIC.length;
  const headerLength = file.readUInt32LE(offset);
  offset += 4;
  let header: Header;
  try {
    header = JSON.parse(body.subarray(offset, offset + headerLength).toString('utf8')) as Header;
  } catch {
    return { status: 'unusable', reason: 'bad-header' };
  }
  offset += headerLength;
  if (header.version !== FORMAT_VERSION)
    return { status: 'unusable', reason: `unsupported-version:${header.version}` };
  // Vectors from another model (or dimension) are meaningless for this one's queries.
  if (header.embedderId !== expected.embedderId || header.dimension !== expected.dimension) {
    return { status: 'unusable', reason: 'embedder-changed' };
  }
  const entries = JSON.parse(
    body.subarray(offset, offset + header.entriesLength).toString('utf8'),
  ) as PersistedEntry[];
  offset += header.entriesLength;
  const scopes: Snapshot['scopes'] = [];
  for (const s of header.scopes) {
    const bytes = body.subarray(offset, offset + s.length);
    offset += s.length;
    if (bytes.length !== s.length) return { status: 'unusable', reason: 'truncated' };
    if (s.kind === 'flat') {
      // Copy: a Float32Array view needs 4-byte alignment the file buffer does not promise.
      const vectors = new Float32Array(new Uint8Array(bytes).buffer);
      if (vectors.length !== s.labels.length * header.dimension)
        return { status: 'unusable', reason: 'bad-section' };
      scopes.push({ scope: s.scope, index: { kind: 'flat', labels: s.labels, vectors } });
    } else {
      scopes.push({
        scope: s.scope,
        index: { kind: 'hnsw', labels: s.labels, capacity: s.capacity, index: Buffer.from(bytes) },
      });
    }
  }
  if (offset !== body.length) return { status: 'unusable', reason: 'bad-section' };
  return {
    status: 'ok',
    snapshot: {
      embedderId: header.embedderId,
      dimension: header.dimension,
      savedAtMs: header.savedAtMs,
      nextLabel: header.nextLabel,
      entries,
      scopes,
    },
  };
}

/** Renames an unusable file to `<path>.corrupt-<timestamp>` and returns the new path. */
export function moveAside(path: string, nowMs: number): string {
  const target = `${path}.corrupt-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, target);
  return target;
}
