/** The OpenAPI 3.1 document served at `/openapi.json`. */
export function openApiDocument(options: { autoModelNames: readonly string[]; version: string }): unknown {
  const error = { $ref: '#/components/schemas/Error' };
  const errors = (codes: number[]) =>
    Object.fromEntries(
      codes.map((c) => [
        String(c),
        { description: `Error (${c})`, content: { 'application/json': { schema: error } } },
      ]),
    );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Semantic Router',
      version: options.version,
      description:
        'OpenAI-compatible chat completions with guarding, semantic caching, classification and routing. ' +
        `Send model ${options.autoModelNames.map((n) => `"${n}"`).join(' or ')} to let the router choose.`,
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['message', 'type', 'code'],
              properties: {
                message: { type: 'string' },
                type: { type: 'string' },
                code: { type: 'string', description: 'Stable lower-case code from docs/errors.md' },
                param: { type: ['string', 'null'] },
              },
            },
          },
        },
        ChatCompletionRequest: {
          type: 'object',
          required: ['model', 'messages'],
          additionalProperties: true,
          properties: {
            model: { type: 'string', examples: [options.autoModelNames[0]] },
            messages: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                required: ['role'],
                properties: {
                  role: { enum: ['system', 'developer', 'user', 'assistant', 'tool', 'function'] },
                  content: { oneOf: [{ type: 'string' }, { type: 'array' }, { type: 'null' }] },
                },
              },
            },
            stream: { type: 'boolean' },
            temperature: { type: ['number', 'null'] },
            tools: { type: 'array', items: { type: 'object' } },
            tool_choice: {},
            cache: { type: 'boolean', description: 'Router extension: false skips the semantic cache.' },
          },
        },
        ChatCompletion: {
          type: 'object',
          additionalProperties: true,
          properties: {
            id: { type: 'string' },
            object: { const: 'chat.completion' },
            model: { type: 'string' },
            choices: { type: 'array' },
            usage: { type: 'object' },
          },
        },
        ClassifyRequest: {
          type: 'object',
          description: 'Exactly one of text or texts.',
          properties: {
            text: { type: 'string', minLength: 1 },
            texts: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1 } },
          },
        },
        ClassifyResult: {
          type: 'object',
          properties: {
            index: { type: 'integer' },
            signals: {
              type: ['object', 'null'],
              description: 'domain, intent and custom signals: { label, score }',
            },
            category: { type: ['object', 'null'] },
            model: {
              type: ['string', 'null'],
              description: 'The model an auto request with this text routes to.',
            },
            pii: {
              type: ['object', 'null'],
              description: '{ types, spans: [{ type, start, end, score, messageIndex }] }',
            },
            jailbreak: { type: ['object', 'null'], description: '{ status, score, threshold }' },
            errors: { type: 'object', description: 'Stage error codes when a worker did not answer.' },
          },
        },
      },
    },
    security: [{ bearer: [] }, {}],
    paths: {
      '/v1/chat/completions': {
        post: {
          summary: 'Create a chat completion (routed when model is an auto name)',
          parameters: [
            { name: 'x-request-id', in: 'header', schema: { type: 'string' } },
            {
              name: 'x-semantic-router-debug',
              in: 'header',
              schema: { enum: ['true'] },
              description: 'Return the decision trace in the x-semantic-router-decision header.',
            },
            { name: 'x-tenant-id', in: 'header', schema: { type: 'string' } },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/ChatCompletionRequest' } },
            },
          },
          responses: {
            '200': {
              description:
                'The completion (JSON), or a stream of chat.completion.chunk events (text/event-stream) when stream is true.',
              headers: {
                'x-selected-model': { schema: { type: 'string' } },
                'x-semantic-router-category': { schema: { type: 'string' } },
                'x-semantic-router-cache': { schema: { enum: ['hit', 'miss'] } },
                'x-request-id': { schema: { type: 'string' } },
              },
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/ChatCompletion' } },
                'text/event-stream': { schema: { type: 'string' } },
              },
            },
            ...errors([400, 401, 403, 404, 413, 502, 503, 504]),
          },
        },
      },
      '/v1/models': {
        get: {
          summary: 'List the auto model names and the configured models',
          responses: {
            '200': { description: 'Models', content: { 'application/json': { schema: { type: 'object' } } } },
            ...errors([401]),
          },
        },
      },
      '/api/v1/classify': {
        post: {
          summary: 'Classify one or many texts: every signal, PII spans, jailbreak score',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ClassifyRequest' } } },
          },
          responses: {
            '200': {
              description: 'One result per text',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      object: { const: 'list' },
                      requestId: { type: 'string' },
                      results: { type: 'array', items: { $ref: '#/components/schemas/ClassifyResult' } },
                    },
                  },
                },
              },
            },
            ...errors([400, 401, 413]),
          },
        },
      },
      '/healthz': {
        get: { summary: 'Liveness', security: [], responses: { '200': { description: 'Alive' } } },
      },
      '/readyz': {
        get: {
          summary: 'Readiness',
          security: [],
          responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready' } },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          security: [],
          responses: { '200': { description: 'Text exposition format' } },
        },
      },
      '/openapi.json': {
        get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
    },
  };
}
