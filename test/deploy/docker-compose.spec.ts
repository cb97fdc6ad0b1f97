import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadBacklogConfig } from '../../services/backlog/src/config/backlog.config';
import { loadIngestionConfig } from '../../services/metrics-ingestion/src/config/ingestion.config';

/**
 * No Docker engine runs here, so docker-compose.yml is checked as far as a machine without one
 * allows: it parses, has the services users need, every file it references exists, ports agree
 * with the services' own defaults and the Prometheus scrape targets, and holds no secrets.
 */
const root = join(__dirname, '..', '..');
interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  profiles?: string[];
  healthcheck?: unknown;
}
const compose = load(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

describe('docker-compose.yml', () => {
  it('has every service users need, on official images where they are third-party', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'mongodb',
        'kafka',
        'metrics-ingestion',
        'backlog',
        'prometheus',
        'grafana',
        'simulator',
      ]),
    );
    expect(services.mongodb.image).toMatch(/^mongo:\d/);
    expect(services.kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(services.simulator.profiles).toEqual(['simulator']);
    expect(services.mongodb.healthcheck).toBeDefined();
    expect(services.kafka.healthcheck).toBeDefined();
  });

  it('runs MongoDB as a single-node replica set and points the backlog at it', () => {
    expect(JSON.stringify(services.mongodb)).toContain('--replSet');
    // YAML merge keys (<<: *fulcrum-env) are resolved by the parser, as docker compose does.
    expect(String(services.backlog.environment?.FULCRUM_MONGO_URI)).toMatch(
      /^mongodb:\/\/mongodb:27017\/fulcrum\?replicaSet=rs0$/,
    );
    expect(String(services['metrics-ingestion'].environment?.FULCRUM_KAFKA_BROKERS)).toBe(
      'kafka:9092',
    );
  });

  it('references only files that exist', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.build) {
        expect({
          name,
          dockerfile: existsSync(join(root, s.build.context, s.build.dockerfile ?? 'Dockerfile')),
        }).toEqual({ name, dockerfile: true });
      }
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0];
        if (source.startsWith('./'))
          expect({ name, source, exists: existsSync(join(root, source)) }).toEqual({
            name,
            source,
            exists: true,
          });
        else expect(compose.volumes).toHaveProperty(source);
      }
    }
  });

  it('publishes the ports the services listen on by default, and Prometheus scrapes them', () => {
    const ingestion = loadIngestionConfig({});
    const backlog = loadBacklogConfig({});
    expect(services['metrics-ingestion'].ports).toEqual([
      `127.0.0.1:${ingestion.httpPort}:${ingestion.httpPort}`,
    ]);
    expect(services.backlog.ports).toEqual([`127.0.0.1:${backlog.httpPort}:${backlog.httpPort}`]);
    expect(Number(services['metrics-ingestion'].environment?.FULCRUM_INGESTION_PORT)).toBe(
      ingestion.httpPort,
    );
    expect(Number(services.backlog.environment?.FULCRUM_BACKLOG_PORT)).toBe(backlog.httpPort);
    const prometheus = load(
      readFileSync(join(root, 'deploy/prometheus/prometheus.yml'), 'utf8'),
    ) as { scrape_configs: { static_configs: { targets: string[] }[] }[] };
    const targets = prometheus.scrape_configs.flatMap((c) =>
      c.static_configs.flatMap((s) => s.targets),
    );
    expect(targets).toEqual(
      expect.arrayContaining([
        `metrics-ingestion:${ingestion.httpPort}`,
        `backlog:${backlog.httpPort}`,
      ]),
    );
  });

  it('keeps secrets out of the file', () => {
    const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    expect(text).toMatch(/FULCRUM_API_KEYS: \$\{FULCRUM_API_KEYS/);
    expect(text).toMatch(/GF_SECURITY_ADMIN_PASSWORD: \$\{GRAFANA_ADMIN_PASSWORD/);
    expect(text).not.toMatch(/:(viewer|editor|admin):[A-Za-z0-9_-]{12,}/);
  });

  it('one Dockerfile builds either service: multi-stage, non-root, health-checked on its port', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*FULCRUM_HEALTH_PORT/m);
    expect(dockerfile).toContain('dist/services/$FULCRUM_SERVICE/src/main.js');
    // Every service built from it names a service that exists and the port it listens on.
    const compose = load(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { build?: { args?: { SERVICE?: string; PORT?: number } } }>;
    };
    for (const [name, svc] of Object.entries(compose.services)) {
      if (!svc.build) continue;
      const service = svc.build.args?.SERVICE;
      expect({ name, service }).toEqual({
        name,
        service: expect.stringMatching(/^(backlog|metrics-ingestion)$/) as string,
      });
      expect(existsSync(join(root, 'services', service!, 'src/main.ts'))).toBe(true);
      expect(svc.build.args?.PORT).toBe(service === 'backlog' ? 3002 : 3001);
    }
  });
});

describe('Grafana provisioning', () => {
  const dashboards = ['allocation-balance', 'model-reliability', 'pipeline'].map(
    (n) =>
      JSON.parse(readFileSync(join(root, 'deploy/grafana/dashboards', `${n}.json`), 'utf8')) as {
        uid: string;
        panels: { id: number; datasource: { uid: string }; targets: { expr: string }[] }[];
        templating: { list: { name: string }[] };
      },
  );
  const datasource = load(
    readFileSync(join(root, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
  ) as { datasources: { uid: string }[] };

  it('every panel uses the provisioned Prometheus data source and has a query', () => {
    const uid = datasource.datasources[0].uid;
    for (const d of dashboards) {
      expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
      for (const p of d.panels) {
        expect(p.datasource.uid).toBe(uid);
        expect(p.targets.length).toBeGreaterThan(0);
      }
    }
  });

  it('offers model and quadrant variables', () => {
    const variables = dashboards.flatMap((d) => d.templating.list.map((v) => v.name));
    expect(variables).toEqual(expect.arrayContaining(['model', 'quadrant']));
  });
});
