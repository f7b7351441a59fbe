/**
 * Two projects in one run: the server (unit tests `*.spec.ts` beside the code and end-to-end tests
 * `test/*.e2e-spec.ts`, against real MariaDB and Redis) and the console's component tests
 * (`apps/console/**\/*.spec.ts(x)`, in jsdom, no database).
 */
const server = {
  displayName: 'server',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '(\\.spec|\\.e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/console/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: { '^@clarion/(.*)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/per-file-isolation.ts'],
  slowTestThreshold: 30,
};

const consoleApp = {
  displayName: 'console',
  rootDir: '.',
  roots: ['<rootDir>/apps/console/src'],
  testRegex: '\\.spec\\.tsx?$',
  moduleFileExtensions: ['tsx', 'ts', 'js', 'json'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Mantine's and the charts' stylesheets mean nothing to jsdom.
  moduleNameMapper: { '\\.css$': '<rootDir>/apps/console/src/test/style-stub.js' },
  testEnvironment: 'jsdom',
  setupFiles: ['<rootDir>/apps/console/src/test/setup.ts'],
};

// testTimeout is a run-wide option: it does not take effect inside a project.
module.exports = { projects: [server, consoleApp], testTimeout: 60_000 };
