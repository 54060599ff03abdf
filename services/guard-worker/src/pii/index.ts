export { PiiDetector, SUPPORTED_ENTITY_TYPES } from './detector';
export type { PiiDetectorOptions } from './detector';
export { redact, restore } from './redact';
export type { RedactionMapping, RedactionResult } from './redact';
export { mergeSpans } from './merge';
export { applyContext, CONTEXT_WORDS, NEGATIVE_WORDS } from './context';
export { PATTERN_ENTITY_TYPES } from './types';
export type { PiiSpan, Recognizer } from './types';
export * as recognizers from './recognizers';
