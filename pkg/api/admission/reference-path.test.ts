import { fieldIn, namesIn, valuesAt } from './reference-path.js';

// The expressions are run by the apiserver (test/security); here their shape.
describe('namesIn', () => {
  it.each([
    ['spec.cloudInit.userDataSecretRef.name', '[?object.?spec.?cloudInit.?userDataSecretRef.?name]'],
    ['spec.env[].secretKeyRef.name', 'object.?spec.?env.orValue([]).filter(x0, x0.?secretKeyRef.?name.hasValue()).map(x0, x0.secretKeyRef.name)'],
    ['spec.dependsOn[kind=App].name', "object.?spec.?dependsOn.orValue([]).filter(x0, x0.?kind.orValue('') == 'App' && x0.?name.hasValue()).map(x0, x0.name)"],
    [
      'spec.instancetype(kind=VirtualMachineInstancetype).name',
      "[?object.?spec.?instancetype].filter(x0, x0.?kind.orValue('') == 'VirtualMachineInstancetype' && x0.?name.hasValue()).map(x0, x0.name)",
    ],
    [
      'spec.rules.ingress[].from[].network',
      'object.?spec.?rules.?ingress.orValue([]).map(x0, x0.?from.orValue([]).filter(x1, x1.?network.hasValue()).map(x1, x1.network)).flatten()',
    ],
  ])('%s', (path, cel) => expect(namesIn('object', path)).toBe(cel));

  it('reads nothing from oldObject on create', () => {
    expect(namesIn('oldObject', 'spec.rootDisk.volume')).toBe('(oldObject == null ? [] : [?oldObject.?spec.?rootDisk.?volume])');
  });

  it('refuses paths it cannot read', () => {
    expect(() => namesIn('object', 'spec.env[]')).toThrow('must end in a plain field');
    expect(() => namesIn('object', 'spec.env[kind=a b].name')).toThrow('cannot read');
  });
});

describe('fieldIn', () => {
  it('names a plain field as it is', () => {
    expect(fieldIn('spec.rootDisk.volume', 'n')).toBe("'spec.rootDisk.volume'");
  });

  it('finds the list index holding the name', () => {
    expect(fieldIn('spec.env[].secretKeyRef.name', 'n')).toBe(
      "object.?spec.?env.orValue([]).transformList(i0, x0, n in [?x0.?secretKeyRef.?name], 'spec.env[' + string(i0) + '].' + 'secretKeyRef.name')[0]",
    );
  });
});

describe('valuesAt', () => {
  it('counts one value for a plain path, any number across a list', () => {
    expect(valuesAt('spec.cloudInit.userDataSecretRef.name')).toBe(1);
    expect(valuesAt('spec.instancetype(kind=X).name')).toBe(1);
    expect(valuesAt('spec.env[].secretKeyRef.name')).toBe(Infinity);
  });
});
