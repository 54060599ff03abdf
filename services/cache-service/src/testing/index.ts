/** Test helpers for the cache service: a deterministic test embedder and verifier. */
export { HashingTestEmbedder, NumbersTestVerifier } from './test-embedder';
