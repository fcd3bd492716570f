// Module customization hooks (node:module register) that append every module
// URL Node loads to the file named by STRATUS_MODULE_LOG: what a command
// really loads, for test/cli/loaded-modules.test.ts.
import { appendFileSync } from 'node:fs';

type Load = (url: string, context: unknown, next: (url: string, context: unknown) => Promise<unknown>) => Promise<unknown>;

export const load: Load = async (url, context, next) => {
  const file = process.env.STRATUS_MODULE_LOG;
  if (file) appendFileSync(file, url + '\n');
  return next(url, context);
};
