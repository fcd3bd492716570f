import type { TestEnvironment } from './environment.js';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __stratusTestEnv?: TestEnvironment }).__stratusTestEnv?.stop();
}
