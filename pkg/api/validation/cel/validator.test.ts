import { formatCelError, validateCelRules } from './validator.js';
import type { CelSchema } from './types.js';

const str: CelSchema = { type: 'string' };
const int: CelSchema = { type: 'integer' };

function crd(spec: CelSchema): CelSchema {
  return { type: 'object', properties: { apiVersion: str, kind: str, metadata: { type: 'object' }, spec } };
}

describe('validateCelRules: paths and messages', () => {
  const schema = crd({
    type: 'object',
    properties: {
      size: { ...int, 'x-kubernetes-validations': [{ rule: 'self >= 1', message: 'size must be positive' }] },
      disks: {
        type: 'array',
        items: { type: 'object', properties: { name: str, size: { ...int, 'x-kubernetes-validations': [{ rule: 'self <= 100' }] } } },
      },
      labels: { type: 'object', additionalProperties: { ...str, 'x-kubernetes-validations': [{ rule: 'self.size() <= 3', reason: 'FieldValueForbidden' }] } },
      min: int,
      max: int,
    },
    'x-kubernetes-validations': [
      { rule: 'self.min <= self.max', fieldPath: '.max', messageExpression: '"max must be >= " + string(self.min)', reason: 'FieldValueInvalid' },
      { rule: "!has(self.labels) || !('forbidden' in self.labels)", fieldPath: ".labels['forbidden']" },
    ],
  });

  test('nested objects, list items and map values get apiserver paths', () => {
    const errs = validateCelRules(schema, {
      apiVersion: 'x/v1',
      kind: 'X',
      spec: { size: 0, disks: [{ name: 'a', size: 1 }, { name: 'b', size: 500 }], labels: { ok: 'abc', key: 'abcd' }, min: 5, max: 2 },
    });
    expect(errs.map((e) => [e.path, e.message, e.reason])).toEqual([
      ['spec.max', 'max must be >= 5', 'FieldValueInvalid'],
      ['spec.size', 'size must be positive', 'FieldValueInvalid'],
      ['spec.disks[1].size', 'failed rule: self <= 100', 'FieldValueInvalid'],
      ['spec.labels[key]', 'failed rule: self.size() <= 3', 'FieldValueForbidden'],
    ]);
  });

  test("fieldPath with ['key'] on a map appends a key segment", () => {
    const errs = validateCelRules(schema, { spec: { labels: { forbidden: 'x' }, min: 1, max: 2 } });
    expect(errs.map((e) => e.path)).toEqual(['spec.labels[forbidden]']);
  });

  test('formatCelError prints like field.Error', () => {
    const errs = validateCelRules(schema, { spec: { size: 0, labels: { key: 'abcd' }, min: 1, max: 2 } });
    expect(errs.map(formatCelError)).toEqual([
      'spec.size: Invalid value: "integer": size must be positive',
      'spec.labels[key]: Forbidden: failed rule: self.size() <= 3',
    ]);
  });

  test('root rules report the <nil> path', () => {
    const errs = validateCelRules({ type: 'object', properties: { a: int }, 'x-kubernetes-validations': [{ rule: 'has(self.a)', message: 'a is required', reason: 'FieldValueRequired' }] }, {});
    expect(errs.map(formatCelError)).toEqual(['<nil>: Required value: a is required']);
  });
});

describe('validateCelRules: typing', () => {
  const schema = crd({
    type: 'object',
    properties: {
      count: int,
      ratio: { type: 'number' },
      at: { type: 'string', format: 'date-time' },
      day: { type: 'string', format: 'date' },
      timeout: { type: 'string', format: 'duration' },
      blob: { type: 'string', format: 'byte' },
      port: { 'x-kubernetes-int-or-string': true },
      optional: str,
      'foo-bar': str,
      namespace: str,
    },
    'x-kubernetes-validations': [
      { rule: 'type(self.count) == int && type(self.ratio) == double', message: 'types' },
      { rule: 'self.at < timestamp("2030-01-01T00:00:00Z") && self.at.getFullYear() == 2024', message: 'timestamp' },
      { rule: 'self.day == timestamp("2024-02-29T00:00:00Z")', message: 'date' },
      { rule: 'self.timeout == duration("90s")', message: 'duration' },
      { rule: 'self.blob == b"hello"', message: 'bytes' },
      { rule: 'type(self.port) == int ? self.port > 0 : self.port.startsWith("http")', message: 'int-or-string' },
      { rule: '!has(self.optional)', message: 'has' },
      { rule: 'self.foo__dash__bar == "x" && self.__namespace__ == "ns"', message: 'escaping' },
    ],
  });

  test('schema types map to CEL types like UnstructuredToVal', () => {
    const spec = { count: 2, ratio: 1, at: '2024-05-01T10:00:00.5+02:00', day: '2024-02-29', timeout: '1m30s', blob: 'aGVsbG8=', port: 8080, 'foo-bar': 'x', namespace: 'ns' };
    expect(validateCelRules(schema, { spec })).toEqual([]);
    expect(validateCelRules(schema, { spec: { ...spec, port: 'http' } })).toEqual([]);
    expect(validateCelRules(schema, { spec: { ...spec, optional: null } })).toEqual([]);
    expect(validateCelRules(schema, { spec: { ...spec, optional: 'set', port: 'ftp' } }).map((e) => e.message)).toEqual(['int-or-string', 'has']);
  });

  test('the resource root exposes apiVersion, kind and metadata.name only', () => {
    const s: CelSchema = { type: 'object', properties: { metadata: { type: 'object' } }, 'x-kubernetes-validations': [{ rule: 'self.metadata.name.startsWith("db-") && self.kind == "DB"' }, { rule: 'has(self.metadata.namespace)' }] };
    const errs = validateCelRules(s, { apiVersion: 'v1', kind: 'DB', metadata: { name: 'db-1', namespace: 'default' } });
    expect(errs.map((e) => e.message)).toEqual(['failed rule: has(self.metadata.namespace)']);
  });

  test('embedded resources are resource roots too', () => {
    const s = crd({ type: 'object', properties: { template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-validations': [{ rule: 'self.kind == "Pod"' }] } } });
    expect(validateCelRules(s, { spec: { template: { kind: 'Pod', apiVersion: 'v1' } } })).toEqual([]);
    expect(validateCelRules(s, { spec: { template: { kind: 'Job' } } }).map((e) => e.path)).toEqual(['spec.template']);
  });

  test('evaluation errors are reported at the node', () => {
    const s = crd({ type: 'object', properties: { a: int }, 'x-kubernetes-validations': [{ rule: 'self.a > 0' }] });
    expect(validateCelRules(s, { spec: {} })).toEqual([
      { path: 'spec', rule: 'self.a > 0', message: 'no such key: a evaluating rule: self.a > 0', reason: 'FieldValueInvalid', schemaType: 'object', detail: 'no such key: a' },
    ]);
  });
});

describe('validateCelRules: transition rules', () => {
  const item: CelSchema = {
    type: 'object',
    properties: { name: str, size: { ...int, 'x-kubernetes-validations': [{ rule: 'self >= oldSelf', message: 'cannot shrink' }] } },
    'x-kubernetes-validations': [{ rule: 'self.name == oldSelf.name', message: 'renamed' }],
  };
  const schema = crd({
    type: 'object',
    properties: {
      mapList: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: item },
      atomicList: { type: 'array', items: item },
      byKey: { type: 'object', additionalProperties: { ...int, 'x-kubernetes-validations': [{ rule: 'self >= oldSelf', message: 'cannot shrink' }] } },
      tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: str, 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'tags immutable' }] },
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', properties: { name: str, port: int } },
        'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'ports immutable' }],
      },
    },
  });

  test('map-list items correlate by key; new items skip transition rules', () => {
    const old = { spec: { mapList: [{ name: 'a', size: 10 }, { name: 'b', size: 10 }] } };
    const next = { spec: { mapList: [{ name: 'b', size: 5 }, { name: 'c', size: 1 }, { name: 'a', size: 20 }] } };
    expect(validateCelRules(schema, next, old).map((e) => `${e.path}: ${e.message}`)).toEqual(['spec.mapList[0].size: cannot shrink']);
  });

  test('items of lists without list-type map are never correlated', () => {
    const old = { spec: { atomicList: [{ name: 'a', size: 10 }] } };
    const next = { spec: { atomicList: [{ name: 'z', size: 1 }] } };
    expect(validateCelRules(schema, next, old)).toEqual([]);
  });

  test('map values correlate by key', () => {
    const errs = validateCelRules(schema, { spec: { byKey: { a: 1, b: 9, c: 0 } } }, { spec: { byKey: { a: 2, b: 3 } } });
    expect(errs.map((e) => e.path)).toEqual(['spec.byKey[a]']);
  });

  test('transition rules are not evaluated on create', () => {
    expect(validateCelRules(schema, { spec: { mapList: [{ name: 'a', size: 1 }], byKey: { a: 1 } } })).toEqual([]);
  });

  test('set and map lists compare ignoring order', () => {
    const old = { spec: { tags: ['a', 'b'], ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] } };
    expect(validateCelRules(schema, { spec: { tags: ['b', 'a'], ports: [{ name: 'https', port: 443 }, { name: 'http', port: 80 }] } }, old)).toEqual([]);
    const changed = { spec: { tags: ['b', 'c'], ports: [{ name: 'https', port: 8443 }, { name: 'http', port: 80 }] } };
    expect(validateCelRules(schema, changed, old).map((e) => e.message)).toEqual(['tags immutable', 'ports immutable']);
  });

  test('optionalOldSelf rules run on create with oldSelf = optional.none()', () => {
    const s = crd({
      type: 'object',
      properties: { mode: str },
      'x-kubernetes-validations': [{ rule: '!oldSelf.hasValue() || !has(oldSelf.value().mode) || self.mode == oldSelf.value().mode', optionalOldSelf: true, message: 'mode is immutable once set' }],
    });
    expect(validateCelRules(s, { spec: { mode: 'a' } })).toEqual([]);
    expect(validateCelRules(s, { spec: { mode: 'b' } }, { spec: { mode: 'a' } }).map((e) => e.message)).toEqual(['mode is immutable once set']);
    expect(validateCelRules(s, { spec: { mode: 'b' } }, { spec: {} })).toEqual([]);
  });
});

describe('validateCelRules: ratcheting and allOf', () => {
  const schema = crd({
    type: 'object',
    properties: {
      a: { ...int, 'x-kubernetes-validations': [{ rule: 'self < 10', message: 'a too big' }] },
      b: { ...int, 'x-kubernetes-validations': [{ rule: 'self < 10', message: 'b too big' }, { rule: 'self <= oldSelf', message: 'b grew' }] },
    },
    allOf: [{ 'x-kubernetes-validations': [{ rule: 'self.a != self.b', message: 'a and b must differ' }] }],
  });

  test('unchanged invalid values become warnings on update; transition rules never ratchet', () => {
    const warnings: string[] = [];
    const old = { spec: { a: 50, b: 20 } };
    const errs = validateCelRules(schema, { spec: { a: 50, b: 30 } }, old, { onWarning: (w) => warnings.push(w) });
    expect(errs.map((e) => e.message)).toEqual(['b too big', 'b grew']);
    expect(warnings).toEqual(['spec.a: Invalid value: "integer": a too big']);
    expect(validateCelRules(schema, { spec: { a: 50, b: 30 } }, old, { ratcheting: false }).map((e) => e.message)).toEqual(['a too big', 'b too big', 'b grew']);
  });

  test('allOf rules apply to the node they are declared on', () => {
    expect(validateCelRules(schema, { spec: { a: 1, b: 1 } }).map((e) => `${e.path}: ${e.message}`)).toEqual(['spec: a and b must differ']);
  });
});
