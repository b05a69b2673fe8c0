/** Jest runs the TypeScript sources as ESM (the toolkit is ESM-only). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  // Mutation testing's sandboxes hold copies of the tests.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/.stryker-tmp'],
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp'],
  globalSetup: './__tests__/e2e/harness/global-setup.ts',
  testTimeout: 120000,
  verbose: true
}
