/** The unit tests alone (no dist/ build, no end-to-end tests): for mutation testing. */
import base from './jest.config.js'

export default {
  ...base,
  testMatch: ['**/__tests__/unit/**/*.test.ts'],
  globalSetup: undefined,
  verbose: false
}
