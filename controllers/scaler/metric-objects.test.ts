import { guessedResource } from './metric-objects.js';

describe('guessedResource', () => {
  it.each([
    ['ConfigMap', 'configmaps'],
    ['Queue', 'queues'],
    ['Ingress', 'ingresses'],
    ['NetworkPolicy', 'networkpolicies'],
    ['Deployment', 'deployments'],
  ])('%s → %s (as the apiserver guesses, and admission checks)', (kind, resource) => expect(guessedResource(kind)).toBe(resource));
});
