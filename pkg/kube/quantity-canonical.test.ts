import { canonicalQuantity } from './quantity-canonical.js';

describe('canonicalQuantity', () => {
  // Each pair is what the apiserver stores for the input (resource.Quantity.String()).
  it.each<[string | number, string]>([
    ['250m', '250m'],
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['0.5', '500m'],
    ['0.25', '250m'],
    [1, '1'],
    [2000, '2k'],
    ['1000', '1k'],
    ['1200', '1200'],
    ['1500000', '1500k'],
    ['2G', '2G'],
    ['0', '0'],
    ['0.0', '0'],
    ['128Mi', '128Mi'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['1Ki', '1Ki'],
    ['0.5Ki', '512'],
    ['1000Ki', '1000Ki'],
    ['1e3', '1e3'],
    ['1E6', '1e6'],
    ['12e2', '1200'],
    ['0.1m', '100u'],
    ['1.0', '1'],
    ['bogus', 'bogus'],
  ])('%s → %s', (input, want) => expect(canonicalQuantity(input)).toBe(want));
});
