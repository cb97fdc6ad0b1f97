import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError } from '@fulcrum/platform';
import { Logger } from 'nestjs-pino';
import { loadIngestionConfig } from './config/ingestion.config';
import { IngestionModule } from './app.module';
import { TelemetryPipeline } from './telemetry/telemetry-pipeline';

async function bootstrap(): Promise<void> {
  const config = loadIngestionConfig();
  const app = await NestFactory.create(IngestionModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  // Exit non-zero so the supervisor restarts the process; the restart resumes from the last commit.
  app.get(TelemetryPipeline).onFatal = () => {
    process.exitCode = 1;
    void app.close().finally(() => process.exit(1));
  };
  await app.listen(config.httpPort, config.bindHost);
}

bootstrap().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : `metrics-ingestion failed to start: ${String(error instanceof Error ? error.stack : error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
