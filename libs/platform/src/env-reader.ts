/**
 * Reads configuration from the environment once, at start-up, and reports every bad value in one
 * message ("FULCRUM_HTTP_PORT must be an integer between 1 and 65535; got 'abc'") instead of
 * failing later at first use.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  string(name: string, fallback: string, pattern?: RegExp): string {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (pattern && !pattern.test(raw)) {
      this.problems.push(`${name} must match ${pattern.source}; got '${raw}'`);
      return fallback;
    }
    return raw;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max}; got '${raw}'`);
      return fallback;
    }
    return value;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      this.problems.push(`${name} must be a number between ${min} and ${max}; got '${raw}'`);
      return fallback;
    }
    return value;
  }

  port(name: string, fallback: number): number {
    return this.int(name, fallback, 1, 65535);
  }

  list(name: string, fallback: string[]): string[] {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length === 0)
      this.problems.push(`${name} must be a comma-separated list; got '${raw}'`);
    return items.length ? items : fallback;
  }

  brokers(name: string, fallback: string[]): string[] {
    const brokers = this.list(name, fallback);
    for (const b of brokers) {
      if (!/^[^\s:/]+:\d{1,5}$/.test(b))
        this.problems.push(`${name} entries must be host:port; got '${b}'`);
    }
    return brokers;
  }

  mongoUri(name: string, fallback: string): string {
    const uri = this.string(name, fallback);
    if (!/^mongodb(\+srv)?:\/\/.+/.test(uri)) {
      this.problems.push(
        `${name} must be a mongodb:// or mongodb+srv:// URI; got '${redact(uri)}'`,
      );
    }
    return uri;
  }

  /** The address to listen on: `FULCRUM_BIND_HOST` (loopback unless told; `0.0.0.0` in containers). */
  bindHost(): string {
    return this.string('FULCRUM_BIND_HOST', '127.0.0.1', /^[\w.:-]{1,253}$/);
  }

  /** `FULCRUM_LOG_LEVEL`, one of pino's levels. */
  logLevel(): LogLevel {
    return this.oneOf<LogLevel>('FULCRUM_LOG_LEVEL', 'info', LOG_LEVELS);
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!allowed.includes(raw as T)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}; got '${raw}'`);
      return fallback;
    }
    return raw as T;
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  /** Throws one ConfigError naming every bad value seen so far. */
  done(): void {
    if (this.problems.length) throw new ConfigError(this.problems);
  }
}

/** Hides credentials in a URI so it can appear in an error message or a log line. */
export function redact(uri: string): string {
  return uri.replace(/\/\/([^@/]*)@/, '//***@');
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
