/**
 * Canonical text form used for features and for the train/test split: NFKC (folds full-width
 * and compatibility characters), lower case, whitespace runs collapsed to one space, trimmed.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

// Words are runs of letters/digits (with inner apostrophes); any other visible character is a
// token of its own, so code symbols like `{`, `=` and `?` carry signal too.
const TOKEN = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*|[^\s\p{L}\p{N}\p{M}]/gu;

/** Splits normalised text into word and symbol tokens. */
export function tokenize(normalized: string): string[] {
  return normalized.match(TOKEN) ?? [];
}
