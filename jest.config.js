// Two tiers: `unit` (pure logic, no servers) and `integration` (real Kafka and FerretDB started by
// scripts/infra). Aliases mirror tsconfig.json so tests import exactly what the services import.
const moduleNameMapper = {
  '^@fulcrum/contracts$': '<rootDir>/libs/contracts/src',
  '^@fulcrum/contracts/(.*)$': '<rootDir>/libs/contracts/src/$1',
  '^@fulcrum/platform$': '<rootDir>/libs/platform/src',
  '^@fulcrum/platform/(.*)$': '<rootDir>/libs/platform/src/$1',
  '^@fulcrum/testing$': '<rootDir>/libs/testing/src',
  '^@fulcrum/testing/(.*)$': '<rootDir>/libs/testing/src/$1',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const common = {
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform,
  moduleNameMapper,
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{services,libs,tools,bench,test}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{services,libs,test}/**/*.int-spec.ts'],
      setupFiles: ['<rootDir>/test/support/integration-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-setup.ts'],
    },
  ],
};
