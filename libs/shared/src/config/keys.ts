import { z } from 'zod';
import { ConfigSchema } from './schema';

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
}

/** Every leaf key path of the config (`models[].endpoints[].url`), for docs and their test. */
export function configKeyPaths(): string[] {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const out: string[] = [];
  const walk = (node: JsonSchema | undefined, path: string) => {
    if (!node) return;
    const obj = node.anyOf?.find((x) => x.type === 'object') ?? node;
    for (const [key, child] of Object.entries(obj.properties ?? {})) {
      const p = path ? `${path}.${key}` : key;
      if (child.type === 'object' && child.properties) walk(child, p);
      else out.push(p);
      if (child.type === 'array' && child.items?.type === 'object') walk(child.items, `${p}[]`);
      const extra = child.additionalProperties;
      if (child.type === 'object' && typeof extra === 'object' && extra.properties)
        walk(extra, `${p}.<name>`);
    }
  };
  walk(schema, '');
  return out;
}
