// Jest runs the compiled JavaScript in dist/ as native ES modules
// (node --experimental-vm-modules, see package.json): tsc is the only
// TypeScript compiler, so tests run exactly the code Node runs.
const common = {
  testEnvironment: 'node',
  transform: {},
  moduleFileExtensions: ['js', 'json'],
};

export default {
  // Integration tests wait on a real cluster; unit tests finish far sooner.
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/dist'],
      testMatch: ['**/*.test.js'],
      testPathIgnorePatterns: ['/dist/test/', '/dist/bench/'],
    },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/dist/test'],
      testMatch: ['**/*.test.js'],
      globalSetup: '<rootDir>/dist/test/setup/global-setup.js',
      globalTeardown: '<rootDir>/dist/test/setup/global-teardown.js',
    },
  ],
};
