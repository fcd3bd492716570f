// The Kubernetes CEL cidr library (library.CIDR): cidr(), isCIDR() and the
// net.CIDR methods. Like netip.ParsePrefix, host bits may be set
// (cidr('10.0.0.1/8') is valid; masked() clears them) and equality compares
// address and length as written.

import { celFunc, celMethod, CelScalar, type CelFunc, type CelValue } from '@bufbuild/cel';
import { celObjectType, makeObject, objectText } from './object-types.js';
import type { ReflectMessage } from '@bufbuild/protobuf/reflect';
import { formatAddr, formatPrefix, is4In6, maskPrefix, parsePrefix, prefixContains, type IpPrefix } from './ip-addr.js';
import { IP, ipOf, ipValue, parseIpStrict } from './ip-lib.js';

export const CIDR = celObjectType('net.CIDR');
const { STRING, BOOL, INT } = CelScalar;

export function parseCidrStrict(raw: string): IpPrefix {
  let p: IpPrefix;
  try {
    p = parsePrefix(raw);
  } catch (e) {
    throw new Error(`network address parse error during conversion from string: network address parse error during conversion from string: ${(e as Error).message}`);
  }
  if (is4In6(p.addr)) throw new Error(`network address parse error during conversion from string: IPv4-mapped IPv6 address ${JSON.stringify(raw)} is not allowed`);
  return p;
}

const cidrValue = (p: IpPrefix): ReflectMessage => makeObject('net.CIDR', formatPrefix(p));
const cidrOf = (v: CelValue): IpPrefix => parsePrefix(objectText(v));

// Fixed upstream in 1.33 (kubernetes#130450): the other prefix's address is masked too.
function containsCidr(outer: IpPrefix, inner: IpPrefix): boolean {
  if (outer.addr.bytes.length !== inner.addr.bytes.length || outer.bits > inner.bits) return false;
  return formatAddr(maskPrefix(outer).addr) === formatAddr(maskPrefix({ addr: inner.addr, bits: outer.bits }).addr);
}

export const cidrFuncs: CelFunc[] = [
  celFunc('cidr', [STRING], CIDR, (s) => cidrValue(parseCidrStrict(s))),
  celFunc('isCIDR', [STRING], BOOL, (s) => {
    try {
      parseCidrStrict(s);
      return true;
    } catch {
      return false;
    }
  }),
  celFunc('string', [CIDR], STRING, (v) => objectText(v)),
  celMethod('containsIP', CIDR, [STRING], BOOL, function (s) {
    return prefixContains(cidrOf(this), parseIpStrict(s));
  }),
  celMethod('containsIP', CIDR, [IP], BOOL, function (ip) {
    return prefixContains(cidrOf(this), ipOf(ip));
  }),
  celMethod('containsCIDR', CIDR, [STRING], BOOL, function (s) {
    return containsCidr(cidrOf(this), parseCidrStrict(s));
  }),
  celMethod('containsCIDR', CIDR, [CIDR], BOOL, function (c) {
    return containsCidr(cidrOf(this), cidrOf(c));
  }),
  celMethod('ip', CIDR, [], IP, function () {
    return ipValue(cidrOf(this).addr);
  }),
  celMethod('masked', CIDR, [], CIDR, function () {
    return cidrValue(maskPrefix(cidrOf(this)));
  }),
  celMethod('prefixLength', CIDR, [], INT, function () {
    return BigInt(cidrOf(this).bits);
  }),
];
