export { startEmbedded, type EmbeddedOptions, type EmbeddedRouter } from './embedded';
export { validateConfig } from './commands/config-validate';
