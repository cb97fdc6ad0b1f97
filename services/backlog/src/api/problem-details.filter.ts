import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { DomainError } from '../domain/domain-error';
import { isUnavailable } from '../event-store/database-errors';
import {
  EventStoreUnavailableError,
  IdempotencyKeyReusedError,
  WrongExpectedVersionError,
} from '../event-store/event-store.types';
import { PreconditionFailedError } from '../application/command-handler';

const DOMAIN_STATUS: Record<string, number> = {
  'item-not-found': 404,
  'ceremony-not-found': 404,
  'item-exists': 409,
  'ceremony-exists': 409,
  'invalid-transition': 409,
  'item-closed': 409,
  'ceremony-not-scheduled': 409,
  'ceremony-not-open': 409,
  'another-ceremony-open': 409,
  'incident-mismatch': 409,
  'allocation-does-not-sum': 422,
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  [extension: string]: unknown;
}

/**
 * Every error leaves as RFC 9457 problem+json: a stable `type` per failure, a human `detail`, never a
 * stack trace or internal message for unexpected errors (those are logged, with a reference id).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly unavailableLog = new RepeatedWarning(UNAVAILABLE_LOG_EVERY_MS);

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<Request>();
    const response = ctx.getResponse<Response>();
    const problem = this.toProblem(exception, request);
    if (problem.status === 503) response.setHeader('Retry-After', '5');
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: Request): Problem {
    const base = (
      code: string,
      status: number,
      title: string,
      detail: string,
      extra: Record<string, unknown> = {},
    ): Problem => ({
      type: `/problems/${code}`,
      title,
      status,
      detail,
      instance: request.originalUrl,
      ...extra,
    });
    if (exception instanceof DomainError) {
      const status = DOMAIN_STATUS[exception.code] ?? 422;
      return base(
        exception.code,
        status,
        status === 404
          ? 'Not found'
          : status === 409
            ? 'Conflict with the current state'
            : 'Command refused',
        exception.message,
        exception.details ?? {},
      );
    }
    if (exception instanceof PreconditionFailedError) {
      return base('precondition-failed', 412, 'Precondition failed', exception.message, {
        currentVersion: exception.actual,
      });
    }
    if (exception instanceof WrongExpectedVersionError) {
      const status = request.headers['if-match'] ? 412 : 409;
      return base(
        'concurrent-modification',
        status,
        'Concurrent modification',
        `${exception.message}; reload and retry`,
        { currentVersion: exception.actual },
      );
    }
    if (exception instanceof IdempotencyKeyReusedError) {
      return base('idempotency-key-reused', 422, 'Idempotency-Key reused', exception.message);
    }
    if (exception instanceof EventStoreUnavailableError || isUnavailable(exception)) {
      // The cause is an operator's only clue to why the database is unreachable from here; under
      // load an outage answers hundreds of 503s a second, so a cause repeats at most every 5 s.
      const cause = describeCause(exception);
      const suppressed = this.unavailableLog.admit(`${cause.name}: ${cause.message}`, this.now());
      if (suppressed !== null)
        this.logger.warn(
          { err: cause, path: request.path, suppressedSinceLast: suppressed },
          'database unavailable; answered 503',
        );
      return base(
        'unavailable',
        503,
        'Service unavailable',
        'the database is unavailable; nothing was written; retry later',
      );
    }
    // body-parser errors arrive raw or wrapped by Nest in an HttpException (as its cause).
    const raw = exception as { type?: string; cause?: { type?: string } };
    const bodyParser = { type: raw.type ?? raw.cause?.type };
    if (
      !bodyParser.type &&
      exception instanceof HttpException &&
      exception.getStatus() === 400 &&
      /\bJSON\b/.test(exception.message)
    )
      bodyParser.type = 'entity.parse.failed';
    if (bodyParser.type === 'entity.too.large')
      return base(
        'payload-too-large',
        413,
        'Payload too large',
        'the request body exceeds the limit',
      );
    if (bodyParser.type === 'entity.parse.failed')
      return base('malformed-json', 400, 'Malformed JSON', 'the request body is not valid JSON');
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const messages =
        typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : body;
      if (Array.isArray(messages)) {
        return base('validation', status, 'Invalid request', messages.join('; '), {
          errors: messages.map((m) => ({ message: String(m) })),
        });
      }
      const code =
        status === 401
          ? 'unauthorized'
          : status === 403
            ? 'forbidden'
            : status === 404
              ? 'not-found'
              : status === 415
                ? 'unsupported-media-type'
                : status === 429
                  ? 'rate-limited'
                  : status === 428
                    ? 'precondition-required'
                    : 'http-' + status;
      return base(
        code,
        status,
        HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'Error',
        typeof messages === 'string' ? messages : exception.message,
      );
    }
    const reference = Math.random().toString(36).slice(2, 10);
    this.logger.error({ err: exception, reference, path: request.path }, 'unhandled error');
    return base(
      'internal',
      500,
      'Internal error',
      `an unexpected error occurred (reference ${reference})`,
    );
  }
}

const UNAVAILABLE_LOG_EVERY_MS = 5000;

/**
 * One warning per cause per interval: `admit` says whether to log now, and how many identical
 * warnings were held back since the last one logged (null: hold this one back too).
 */
export class RepeatedWarning {
  private last: { cause: string; at: number } | null = null;
  private held = 0;

  constructor(private readonly everyMs: number) {}

  admit(cause: string, now: number): number | null {
    if (this.last && this.last.cause === cause && now - this.last.at < this.everyMs) {
      this.held++;
      return null;
    }
    const held = this.held;
    this.last = { cause, at: now };
    this.held = 0;
    return held;
  }
}

function describeCause(error: unknown): { name: string; message: string; code?: unknown } {
  const e = error as Error & { code?: unknown };
  return { name: e?.name ?? 'unknown', message: String(e?.message ?? error), code: e?.code };
}
