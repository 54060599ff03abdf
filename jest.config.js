// One jest run for the whole workspace. Sources are transpiled by ts-jest (type checking is
// `tsc --build`, which `npm test` runs first); workspace packages map to their `src/`.
/** @type {import('jest').Config} */
const shared = {
  testEnvironment: '<rootDir>/tools/jest/ort-environment.js',
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: {
          isolatedModules: true,
          module: 'commonjs',
          esModuleInterop: true,
          sourceMap: true,
          verbatimModuleSyntax: false,
        },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@sr/shared$': '<rootDir>/libs/shared/src/index.ts',
    '^@sr/shared/testing$': '<rootDir>/libs/shared/src/testing/index.ts',
    '^@sr/ml$': '<rootDir>/libs/ml/src/index.ts',
    '^@sr/ml/testing$': '<rootDir>/libs/ml/src/testing/index.ts',
    '^@sr/(guard-worker|classifier-worker|cache-service|extproc-gateway)$':
      '<rootDir>/services/$1/src/index.ts',
  },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/*/test/**/*.test.ts',
        '<rootDir>/services/*/test/**/*.test.ts',
        '<rootDir>/apps/*/test/**/*.test.ts',
      ],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
    },
  ],
  testTimeout: 60000,
};
