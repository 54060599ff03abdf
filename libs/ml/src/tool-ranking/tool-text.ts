/** An OpenAI tool definition (only the parts ranking reads). */
export interface OpenAiTool {
  readonly type: 'function';
  readonly function: {
    readonly name: string;
    readonly description?: string;
    readonly parameters?: unknown;
  };
}

/** "getWeatherForecast" / "get_weather.forecast" → "get weather forecast". */
export function splitIdentifier(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_.\-/:&]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

interface SchemaLike {
  properties?: Record<string, { description?: unknown; enum?: unknown } | undefined>;
}

/**
 * The text a tool is embedded as: split name, description, then parameter names with their
 * descriptions. Training builds tool texts with this same function, so the encoder sees the same
 * shape at train and run time.
 */
export function toolText(fn: { name: string; description?: string; parameters?: unknown }): string {
  const parts = [`${splitIdentifier(fn.name)}.`];
  if (fn.description) parts.push(fn.description.trim());
  const props = (fn.parameters as SchemaLike | undefined)?.properties;
  if (props && typeof props === 'object') {
    const params: string[] = [];
    for (const [key, value] of Object.entries(props)) {
      const desc = typeof value?.description === 'string' ? `: ${value.description}` : '';
      params.push(`${splitIdentifier(key)}${desc}`);
    }
    if (params.length > 0) parts.push(`Parameters: ${params.join('; ')}`);
  }
  return parts.join(' ');
}
