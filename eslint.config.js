// Module boundaries (STYLE): contracts depend on nothing, the domain only on contracts, and
// neither imports infrastructure; only specs may use the testing library.
const nx = require('@nx/eslint-plugin');

// Pure hashing (node:crypto) is allowed; I/O modules are not.
const IO = ['fs', 'net', 'http', 'https', 'child_process', 'dgram', 'dns', 'tls'];
const INFRASTRUCTURE = ['nats', 'ioredis', '@nestjs/*', '@eventstore/*', '@opentelemetry/*', ...IO, ...IO.map((m) => `node:${m}`)];

const constraints = (testing) => [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [], bannedExternalImports: INFRASTRUCTURE },
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:contracts', ...testing],
    bannedExternalImports: INFRASTRUCTURE,
  },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', ...testing] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', 'type:testing'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', ...testing] },
];

module.exports = [
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', 'coverage/**', '**/*.js'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { allow: [], depConstraints: constraints([]) }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.contract.ts', '**/*.fixtures.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { allow: [], depConstraints: constraints(['type:testing']) }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];
