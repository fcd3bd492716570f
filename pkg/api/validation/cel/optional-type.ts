// CEL optional values (cel-go's OptionalTypes, enabled for CRD rules since 1.28).
// The parser of @bufbuild/cel has no `.?field` / `[?key]` syntax, but the
// function forms work: optional.of/none/ofNonZeroValue and hasValue/value/
// orValue/or — enough for optionalOldSelf rules (`oldSelf.hasValue()`).

import { celFunc, celMethod, CelScalar, isCelList, isCelMap, isCelUint, type CelFunc, type CelValue } from '@bufbuild/cel';
import { celObjectType, isObjectOf, makeObject } from './object-types.js';
import type { ReflectMessage } from '@bufbuild/protobuf/reflect';

export const OPTIONAL = celObjectType('optional_type');

// The wrapped value lives beside the message: protobuf fields cannot hold arbitrary CEL values.
const payloads = new WeakMap<object, CelValue>();

export function optionalOf(value: CelValue): ReflectMessage {
  const o = makeObject('optional_type', '');
  payloads.set(o.message, value);
  return o;
}

export function optionalNone(): ReflectMessage {
  return makeObject('optional_type', '');
}

export function isOptional(v: unknown): v is ReflectMessage {
  return isObjectOf(v, 'optional_type');
}

/** The wrapped value, or undefined for optional.none(). */
export function optionalValue(o: ReflectMessage): CelValue | undefined {
  return payloads.get(o.message);
}

function isZeroValue(v: CelValue): boolean {
  if (v === null || v === false || v === 0 || v === 0n || v === '') return true;
  if (v instanceof Uint8Array) return v.length === 0;
  if (isCelUint(v)) return v.value === 0n;
  if (isCelList(v) || isCelMap(v)) return v.size === 0;
  return false;
}

function value(this: CelValue): CelValue {
  const v = optionalValue(this as ReflectMessage);
  if (v === undefined) throw new Error('optional.none() dereference');
  return v;
}

export const optionalFuncs: CelFunc[] = [
  celFunc('optional.of', [CelScalar.DYN], OPTIONAL, (v) => optionalOf(v)),
  celFunc('optional.none', [], OPTIONAL, () => optionalNone()),
  celFunc('optional.ofNonZeroValue', [CelScalar.DYN], OPTIONAL, (v) => (isZeroValue(v) ? optionalNone() : optionalOf(v))),
  celMethod('hasValue', OPTIONAL, [], CelScalar.BOOL, function () {
    return optionalValue(this) !== undefined;
  }),
  celMethod('value', OPTIONAL, [], CelScalar.DYN, value),
  celMethod('orValue', OPTIONAL, [CelScalar.DYN], CelScalar.DYN, function (other) {
    return optionalValue(this) ?? other;
  }),
  celMethod('or', OPTIONAL, [OPTIONAL], OPTIONAL, function (other) {
    return optionalValue(this) !== undefined ? this : other;
  }),
];
