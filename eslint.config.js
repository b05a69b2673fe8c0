import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.dist-*/',
      'node_modules/',
      'coverage/',
      '.tmp/',
      '.stryker-tmp*/',
      'reports/'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }
      ],
      eqeqeq: ['error', 'always'],
      'no-console': 'off'
    }
  },
  {
    // Tests build deliberately malformed auth files.
    files: ['__tests__/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    // The bundled action must log through @actions/core so that masking applies.
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error' }
  },
  // Imports run downward only: auth (pure) <- platform <- storage, codex <- app <- entries.
  ...layer('src/auth/**/*.ts', ['platform', 'storage', 'codex', 'app']),
  ...layer('src/platform/**/*.ts', ['storage', 'codex', 'app']),
  ...layer('src/storage/**/*.ts', ['codex', 'app']),
  ...layer('src/codex/**/*.ts', ['storage', 'app'])
)

/** A rule that keeps the files of one layer from importing the layers named. */
function layer(files, forbidden) {
  return [
    {
      files: [files],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: forbidden.map(name => ({
              group: [`../${name}/*`, `../../${name}/*`, `./${name}/*`],
              message: `Imports run downward only: this layer may not import src/${name}/.`
            }))
          }
        ]
      }
    }
  ]
}
