import { parseConfig, type ClassifyReply, type GuardCheckReply, type RouterConfig } from '@sr/shared';

/** A config with three models and categories for every signal kind. */
export function testConfig(extra = ''): RouterConfig {
  return parseConfig(
    `
defaultModel: general
models:
  - name: general
    endpoints: [{ url: "http://10.0.0.1:8000/v1" }]
    piiPolicy: { allow: [EMAIL_ADDRESS, PERSON], action: redact, restoreInResponse: true }
  - name: mathy
    endpoints: [{ url: "http://10.0.0.2:8000/v1" }]
    reasoningFamily: qwen3
    piiPolicy: { allow: [], action: route }
  - name: coder
    endpoints: [{ url: "http://10.0.0.3:8000/v1" }]
    reasoningFamily: gpt-oss
    upstreamModel: openai/gpt-oss-20b
    piiPolicy: { allow: ['*'] }
  - name: strict
    endpoints: [{ url: "http://10.0.0.4:8000/v1" }]
    piiPolicy: { allow: [], action: block }
categories:
  - name: legal
    signal: custom
    examples: [review this contract]
    modelScores: [{ model: general, score: 0.9 }]
    systemPrompt: You are a lawyer.
  - name: math
    signal: domain
    modelScores:
      - { model: general, score: 0.6 }
      - { model: mathy, score: 0.92, useReasoning: true }
    systemPrompt: Show your work.
    systemPromptMode: insert
  - name: cs
    signal: domain
    labels: [computer science, engineering]
    modelScores: [{ model: coder, score: 0.9, useReasoning: true, reasoningEffort: medium }]
    jailbreakThreshold: 0.95
  - name: code_generation
    signal: intent
    modelScores: [{ model: coder, score: 0.8 }]
  - name: health
    signal: domain
    modelScores: [{ model: strict, score: 0.9 }, { model: general, score: 0.5 }]
    cache: { similarityThreshold: 0.97 }
  - name: history
    signal: domain
    modelScores: [{ model: general, score: 0.9 }]
    cache: { enabled: false }
${extra}
`,
    'test.yaml',
    {},
  );
}

export function signals(partial: Partial<ClassifyReply>): ClassifyReply {
  return { domain: null, intent: null, custom: null, tools: null, timingsMs: {}, ...partial };
}

export function guardReply(partial: Partial<GuardCheckReply> = {}): GuardCheckReply {
  return {
    jailbreak: { status: 'clean', score: 0.01, threshold: 0.5 },
    pii: { spans: [], types: [], redacted: [], placeholders: {} },
    timingsMs: {},
    ...partial,
  };
}

export function piiReply(
  types: string[],
  redacted: string,
  placeholders: Record<string, string>,
): GuardCheckReply['pii'] {
  return {
    spans: types.map((type) => ({ type, start: 0, end: 1, score: 0.9, messageIndex: 0 })),
    types,
    redacted: [{ messageIndex: 0, content: redacted }],
    placeholders,
  };
}
