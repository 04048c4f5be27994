import { ConfigError, loadConfig, type AppConfig } from '../src/config.js';

/**
 * The configuration a maintenance script runs against, or the exit code it must stop with: 1
 * for a bad environment (every problem printed), 2 when the target is a production database and
 * `--force` was not given (the refusal says what the script would have done).
 */
export function scriptConfig(force: boolean | undefined, productionRefusal: string): AppConfig | number {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  if (config.env === 'production' && !force) {
    console.error(productionRefusal);
    return 2;
  }
  return config;
}
