const nxPreset = require('@nx/jest/preset').default;

/** Shared jest settings: ts-jest transpiles only; `typecheck` targets run tsc. */
module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  // integration tests talk to a real cluster; unit tests finish far sooner
  testTimeout: 60000,
  // a Kafka client left open by a failed test must not hang the whole run
  forceExit: true,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
};
