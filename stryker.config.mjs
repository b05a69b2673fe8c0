// Mutation testing of the rules (npm run test:mutation; about half an hour on 2 cores, not in CI).
// The score is written to reports/mutation/ and quoted in docs/reliability.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.unit.config.js', enableFindRelatedTests: false },
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  plugins: ['@stryker-mutator/jest-runner'],
  mutate: [
    'src/auth/**/*.ts',
    'src/app/inputs.ts',
    'src/storage/crypto.ts',
    'src/storage/cache-scope.ts',
    'src/codex/args.ts',
    'src/codex/outcome.ts',
    'src/platform/files.ts'
  ],
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  thresholds: { high: 90, low: 80, break: 90 },
  concurrency: 2,
  tempDirName: '.stryker-tmp',
  // Re-runs test only the mutants whose code or tests changed.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  // Scratch space of running tests and build output: not part of the sandbox.
  ignorePatterns: ['.tmp', 'dist', '.dist-*', 'reports', 'coverage']
}
