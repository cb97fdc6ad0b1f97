// @ts-check
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * What may import what. Each entry: the files it governs and the imports they may not make, with
 * the reason shown in the lint error. One `no-restricted-imports` per file set (flat config does
 * not merge a rule across blocks), so the service-wide limits are repeated in the narrower sets.
 */
const SERVICES_APART = {
  'services/backlog/**': ['**/metrics-ingestion/**'],
  'services/metrics-ingestion/**': ['**/backlog/**'],
};
const NOT_FROM_SERVICES = ['**/tools/**', '**/bench/**', '**/test/**', '@fulcrum/testing'];
const boundary = (files, forbidden, message) => ({
  files: [files],
  ignores: ['**/*.spec.ts', '**/*.testing.ts'],
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }],
  },
});
const serviceLimits = (files) =>
  Object.entries(SERVICES_APART).find(([glob]) => files.startsWith(glob.replace('/**', '')))[1];
const layer = (files, forbidden, why) =>
  boundary(
    files,
    [...serviceLimits(files), ...NOT_FROM_SERVICES, ...forbidden],
    `${why} (services stay apart and never import tools, bench, tests or @fulcrum/testing).`,
  );
const BOUNDARIES = [
  boundary(
    'libs/**',
    ['**/services/**', '**/tools/**', '**/bench/**', '**/test/**'],
    'libs/ sit at the bottom: they never import a service, a tool, a benchmark or a test.',
  ),
  layer('services/backlog/src/**', [], 'services/backlog'),
  layer(
    'services/backlog/src/domain/**',
    [
      '**/event-store/**',
      '**/read-models/**',
      '**/application/**',
      '**/api/**',
      '**/observability/**',
      '**/reliability-intake/**',
      '**/config/**',
      'mongoose',
      'mongodb',
      '@nestjs/*',
      'kafkajs',
    ],
    'The domain is pure decide/evolve: it never imports storage, read models, application, API, observability or a framework',
  ),
  layer(
    'services/backlog/src/api/**',
    [
      '**/event-store/**',
      '!**/event-store/event-store.types',
      '!**/event-store/database-errors',
      'mongoose',
      'mongodb',
    ],
    'The API talks to application services and read-model repositories, never to the event store or a collection (its error types excepted)',
  ),
  layer(
    'services/backlog/src/observability/**',
    [
      '**/application/**',
      '**/api/**',
      '**/event-store/**',
      '!**/event-store/database-errors',
      'mongoose',
      'mongodb',
      '@nestjs/mongoose',
    ],
    'Observability reads the read-model repositories; it never imports the application, the API, the event store or a database driver',
  ),
  layer(
    'services/backlog/src/read-models/**',
    [
      '**/application/**',
      '!**/application/stream-projection.port',
      '**/api/**',
      '**/observability/**',
      '**/*-intake/**',
      '**/parking/**',
    ],
    'Read models are fed by the event store and read by the application, API and observability, never the other way round: they implement the ports those declare (StreamProjection) and get their counters through ProjectionMetrics',
  ),
  layer(
    'services/backlog/src/parking/**',
    ['**/read-models/**', '**/application/**', '**/api/**', '**/observability/**', '**/domain/**'],
    'Parking keeps malformed intake messages in its own collections; it depends on nothing above the database',
  ),
  layer(
    'services/backlog/src/event-store/**',
    ['**/application/**', '**/api/**', '**/read-models/**', '**/observability/**', '**/domain/**'],
    'The event store knows events, not what they mean or who reads them',
  ),
  layer(
    'services/backlog/src/application/**',
    ['**/api/**', '**/read-models/projection/**', 'mongoose', 'mongodb', '@nestjs/mongoose'],
    'The application does not know its HTTP API, reaches the projections only through the StreamProjection port and the database only through repositories',
  ),
  layer(
    'services/backlog/src/*-intake/**',
    [
      '**/api/**',
      '**/read-models/projection/projector.service',
      'mongoose',
      'mongodb',
      '@nestjs/mongoose',
    ],
    'The intake consumers hand messages to the application and repositories; they never reach a collection',
  ),
  layer('services/metrics-ingestion/src/**', [], 'services/metrics-ingestion'),
  layer(
    'services/metrics-ingestion/src/model-state/**',
    ['**/telemetry/**', '**/kafka/**', '**/state-changelog/**', 'node:fs', 'fs', 'kafkajs'],
    'Model state is data and its rule state: it never reaches Kafka, the changelog or a file',
  ),
  layer(
    'services/metrics-ingestion/src/rules/**',
    [
      '**/evaluation/**',
      '**/model-state/**',
      '**/telemetry/**',
      '**/kafka/**',
      '**/state-changelog/**',
      '**/settings/rule-settings.loader',
      'node:fs',
      'fs',
      'kafkajs',
      '@nestjs/*',
    ],
    'Rules are pure math over counts: no state store, no Kafka, no files, no framework',
  ),
  layer(
    'services/metrics-ingestion/src/evaluation/**',
    [
      '**/telemetry/**',
      '**/kafka/**',
      '**/state-changelog/**',
      'node:fs',
      'fs',
      'kafkajs',
      '@nestjs/*',
    ],
    'The evaluator folds records into state and returns events: no Kafka, no files, no framework',
  ),
  boundary(
    'tools/**',
    ['**/services/**', '**/bench/**', '**/test/**'],
    'Tools use the contracts and libs, never a service’s internals',
  ),
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.infra/**',
      'coverage/**',
      'eslint.config.mjs',
      'jest.config.js',
      'scripts/**/*.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/require-await': 'off',
    },
  },
  ...BOUNDARIES,
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
);
