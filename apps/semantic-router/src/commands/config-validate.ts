import { errorCodeOf, loadConfigFile } from '@sr/shared';

/** `semantic-router config validate FILE`: exit 0 and a summary, or exit 1 and every problem. */
export function validateConfig(file: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  try {
    const config = loadConfigFile(file);
    out.write(
      `${file}: valid (${config.models.length} models, ${config.categories.length} categories, bus ${config.bus.mode}, cache ${config.cache.enabled ? config.cache.backend : 'off'})\n`,
    );
    return 0;
  } catch (e) {
    err.write(`${(e as Error).message}\n`);
    return errorCodeOf(e) === 'CONFIG_INVALID' || errorCodeOf(e) === 'CONFIG_NOT_FOUND' ? 1 : 2;
  }
}
