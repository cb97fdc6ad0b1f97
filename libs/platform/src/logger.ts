import pino, { type Logger } from 'pino';

/** Structured JSON logs on stdout; secrets never reach them (see redact paths). */
export function createLogger(service: string, level: string = 'info'): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'headers["x-api-key"]'],
        censor: '[redacted]',
      },
    },
    // Synchronous: Nest re-raises SIGTERM after a graceful close, which ends the process without
    // its 'exit' handlers, so an asynchronous buffer could drop the shutdown lines (final counts).
    // Logs are not on the per-record path; a write per line costs nothing measurable here.
    pino.destination({ dest: 1, sync: true }),
  );
}
