// The Kubernetes CEL quantity library (library.Quantity): quantity(), isQuantity()
// and the kubernetes.Quantity methods.

import { celFunc, celMethod, CelScalar, type CelFunc, type CelValue } from '@bufbuild/cel';
import { celObjectType, makeObject, objectText } from './object-types.js';
import type { ReflectMessage } from '@bufbuild/protobuf/reflect';
import {
  addQuantity,
  compareQuantity,
  decodeQuantity,
  encodeQuantity,
  mulQuantity,
  parseK8sQuantity,
  quantityAsFloat,
  quantityAsInt64,
  quantityFromInt,
  quantitySign,
  subQuantity,
  type Quantity,
} from './k8s-quantity.js';

export const QUANTITY = celObjectType('kubernetes.Quantity');
const { STRING, BOOL, INT, DOUBLE } = CelScalar;

export function quantityValue(q: Quantity): ReflectMessage {
  return makeObject('kubernetes.Quantity', encodeQuantity(q));
}

export function quantityOf(v: CelValue): Quantity {
  return decodeQuantity(objectText(v));
}

function sign(q: CelValue): bigint {
  return BigInt(quantitySign(quantityOf(q)));
}

export const quantityFuncs: CelFunc[] = [
  celFunc('quantity', [STRING], QUANTITY, (s) => quantityValue(parseK8sQuantity(s))),
  celFunc('isQuantity', [STRING], BOOL, (s) => {
    try {
      parseK8sQuantity(s);
      return true;
    } catch {
      return false;
    }
  }),
  // Upstream declares sign as a global overload; the method form is accepted too.
  celFunc('sign', [QUANTITY], INT, sign),
  celMethod('sign', QUANTITY, [], INT, function () {
    return sign(this);
  }),
  celMethod('isGreaterThan', QUANTITY, [QUANTITY], BOOL, function (o) {
    return compareQuantity(quantityOf(this), quantityOf(o)) === 1;
  }),
  celMethod('isLessThan', QUANTITY, [QUANTITY], BOOL, function (o) {
    return compareQuantity(quantityOf(this), quantityOf(o)) === -1;
  }),
  celMethod('compareTo', QUANTITY, [QUANTITY], INT, function (o) {
    return BigInt(compareQuantity(quantityOf(this), quantityOf(o)));
  }),
  celMethod('asApproximateFloat', QUANTITY, [], DOUBLE, function () {
    return quantityAsFloat(quantityOf(this));
  }),
  celMethod('asInteger', QUANTITY, [], INT, function () {
    const v = quantityAsInt64(quantityOf(this));
    if (v === undefined) throw new Error('cannot convert value to integer');
    return v;
  }),
  celMethod('isInteger', QUANTITY, [], BOOL, function () {
    return quantityAsInt64(quantityOf(this)) !== undefined;
  }),
  celMethod('add', QUANTITY, [QUANTITY], QUANTITY, function (o) {
    return quantityValue(addQuantity(quantityOf(this), quantityOf(o)));
  }),
  celMethod('add', QUANTITY, [INT], QUANTITY, function (o) {
    return quantityValue(addQuantity(quantityOf(this), quantityFromInt(o)));
  }),
  celMethod('sub', QUANTITY, [QUANTITY], QUANTITY, function (o) {
    return quantityValue(subQuantity(quantityOf(this), quantityOf(o)));
  }),
  celMethod('sub', QUANTITY, [INT], QUANTITY, function (o) {
    return quantityValue(subQuantity(quantityOf(this), quantityFromInt(o)));
  }),
  celMethod('mul', QUANTITY, [INT], QUANTITY, function (o) {
    return quantityValue(mulQuantity(quantityOf(this), o));
  }),
];
