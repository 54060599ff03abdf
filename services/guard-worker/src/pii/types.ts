/** A detected PII value: Presidio entity type, character offsets (end exclusive), score in [0, 1]. */
export interface PiiSpan {
  type: string;
  start: number;
  end: number;
  score: number;
  /** The matched text; only filled in when the caller asks for it (it is PII, keep it out of logs). */
  text?: string;
}

/** A pattern recognizer: finds and validates candidates of one entity type. */
export interface Recognizer {
  readonly type: string;
  /** Candidates with a base score, before context words are applied. */
  find(text: string): PiiSpan[];
}

/** Entity types the pattern recognizers cover. */
export const PATTERN_ENTITY_TYPES = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'IP_ADDRESS',
  'URL',
  'DATE_TIME',
] as const;
