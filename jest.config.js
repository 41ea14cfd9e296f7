/**
 * Five tiers, each a Jest project: `npm run test:<tier>` runs one, `npm test` (and `make test`) all of them.
 * Only the tiers that need them start the shared Temporal dev server or bundle the workflow code.
 * @type {import('jest').Config}
 */
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // hyparquet and its codecs ship only ES modules, which Jest's CommonJS runtime cannot load: compile them to CJS.
    '/node_modules/(hyparquet|hyparquet-compressors|hysnappy)/.+\\.js$': [
      'ts-jest',
      { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-compressors|hysnappy)/)'],
};
const withBundle = { globalSetup: '<rootDir>/test/helpers/bundle-setup.ts' };
const withServer = {
  globalSetup: '<rootDir>/test/helpers/temporal-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/temporal-teardown.ts',
};
const tier = (name, extra = {}) => ({
  ...shared,
  displayName: name,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  ...extra,
});

module.exports = {
  testTimeout: 60_000,
  projects: [
    tier('unit'),
    tier('workflow', withBundle),
    tier('replay', withBundle),
    tier('integration', withServer),
    tier('e2e', withServer),
  ],
};
