import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ValidationPipe } from '@nestjs/common';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import { ProblemDetailsFilter } from './api/problem-details.filter';
import { BACKLOG_LOGGER, BacklogModule } from './app.module';
import type { BacklogConfig } from './config/backlog.config';
import { KafkaConsumerHealth } from './health/kafka-consumer.health';
import { modelStatusGroup } from './status-intake/model-status.transport';
import { ModelStatusConsumer } from './status-intake/model-status.consumer';
import { topicNamesFromEnv } from '@fulcrum/contracts';
import { parkingCollections } from './parking/parked-messages.collections';
import { ensureCollections, READ_MODEL_COLLECTIONS } from './read-models/read-models.registry';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { NextFunction, Request, Response } from 'express';
import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from '@fulcrum/platform';

/** Builds the backlog app (HTTP API + Kafka consumer) without listening; main.ts and tests share it. */
export async function createBacklogApp(
  config: BacklogConfig,
  opts: { quiet?: boolean } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(BacklogModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
    ...(opts.quiet ? { logger: false } : {}),
  });
  if (!opts.quiet) app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: config.bodyLimitBytes });
  app.use(helmet());
  app.set('trust proxy', false);
  // Only versioned resources carry an ETag, and it is their version (setEtag); Express's body-hash
  // ETags on lists, errors and asOf answers would be refused when sent back in If-Match.
  app.set('etag', false);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      stopAtFirstError: false,
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter(app.get<Pino>(BACKLOG_LOGGER)));
  await ensureCollections(app.get<Connection>(getConnectionToken()), [
    ...READ_MODEL_COLLECTIONS,
    ...parkingCollections,
  ]);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Fulcrum backlog API')
      .setDescription(
        'Capability and reliability backlogs, the joint prioritization ceremony and capacity allocation driven by live model health. Errors are RFC 9457 problem+json.',
      )
      .setVersion('1.0.0')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: 'The same API key as a bearer token' },
        'bearer',
      )
      .build(),
  );
  // Swagger UI's assets are relative to /docs: at /docs/ they would resolve to /docs/docs/….
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/docs/') return res.redirect(301, '/docs');
    next();
  });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  // The same document at the address earlier releases documented.
  app.use('/docs/openapi.json', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.json(document);
  });

  const health = app.get(KafkaConsumerHealth);
  if (config.consumeReliabilityEvents) {
    // Two consumers in two groups, so neither topic waits behind the other: on one consumer a
    // backlog on a new group read the whole model-status topic (~30 ms a status) before it turned
    // any new reliability event into an item, and status traffic delayed the intake after that.
    const options = (groupId: string, clientId: string) => ({
      client: {
        clientId,
        brokers: config.kafkaBrokers,
        retry: { retries: 10, initialRetryTime: 300 },
        logLevel: logLevel.WARN,
        logCreator: kafkaLogCreator(app.get<Pino>(BACKLOG_LOGGER)),
      },
      consumer: { groupId, allowAutoTopicCreation: false, sessionTimeout: 30000 },
      subscribe: { fromBeginning: true },
      run: { autoCommit: true, autoCommitInterval: 1000 },
      producerOnlyMode: false,
    });
    const events = app.connectMicroservice<MicroserviceOptions>({
      transport: Transport.KAFKA,
      options: options(config.groupId, config.clientId),
    });
    health.track(events, 'reliability events');
    await app.startAllMicroservices();
    // Statuses arrive in bursts (every model at each boundary): a kafkajs consumer of its own that
    // takes whole batches, which the microservice transport (one message per handler call) cannot.
    await app.get(ModelStatusConsumer).start(
      {
        brokers: config.kafkaBrokers,
        clientId: `${config.clientId}-model-status`,
        groupId: modelStatusGroup(config.groupId),
        topic: topicNamesFromEnv(process.env).modelStatus,
      },
      (consumer) => health.trackConsumer(consumer, 'model status'),
    );
  } else {
    health.disable();
  }
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}
