import 'reflect-metadata';
import { ConfigError } from '@fulcrum/platform';
import { createBacklogApp } from './bootstrap';
import { loadBacklogConfig } from './config/backlog.config';

async function bootstrap(): Promise<void> {
  const config = loadBacklogConfig();
  const app = await createBacklogApp(config);
  await app.listen(config.httpPort, config.bindHost);
}

bootstrap().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : `backlog failed to start: ${String(error instanceof Error ? error.stack : error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
