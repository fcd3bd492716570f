// App tests run the whole operator, scoped to the test's namespace; the
// examples' Scalers are left out so the tests alone decide replica counts.
import type { KubeObject } from '../../pkg/meta/object.js';
import { exampleIn } from '../support/operator.js';

export { startTestOperator as startAppOperator } from '../support/operator.js';

/** An example's objects in `namespace`, without Scalers. */
export function appExampleIn(file: string, namespace: string): KubeObject[] {
  return exampleIn(file, namespace).filter((o) => o.kind !== 'Scaler');
}
