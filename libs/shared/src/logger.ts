import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths that may hold prompt or answer text; redacted unless `logPrompts` is on. */
const PROMPT_PATHS = [
  'prompt',
  'text',
  'texts',
  'query',
  'messages',
  'content',
  'body',
  'response',
  '*.prompt',
  '*.text',
  '*.texts',
  '*.query',
  '*.messages',
  '*.content',
  '*.body',
  '*.response',
];

export interface LoggerOptions {
  service: string;
  level?: string;
  logPrompts?: boolean;
  /** Write to this stream instead of stdout (tests). */
  destination?: NodeJS.WritableStream;
}

/** The root logger of a service: JSON lines, prompt text redacted by default. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      redact: options.logPrompts ? [] : { paths: PROMPT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
