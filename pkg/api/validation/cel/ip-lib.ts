// The Kubernetes CEL ip library (library.IP): ip(), isIP(), ip.isCanonical()
// and the net.IP methods. Values carry the canonical address text, so
// equality is netip.Addr equality.

import { celFunc, celMethod, CelScalar, type CelFunc, type CelValue } from '@bufbuild/cel';
import { celObjectType, makeObject, objectText } from './object-types.js';
import type { ReflectMessage } from '@bufbuild/protobuf/reflect';
import {
  formatAddr,
  is4,
  is4In6,
  isGlobalUnicast,
  isLinkLocalMulticast,
  isLinkLocalUnicast,
  isLoopback,
  isUnspecified,
  parseAddr,
  type IpAddr,
} from './ip-addr.js';

export const IP = celObjectType('net.IP');
const { STRING, BOOL, INT } = CelScalar;

/** The library's parseIPAddr: netip.ParseAddr minus zones and IPv4-mapped IPv6. */
export function parseIpStrict(raw: string): IpAddr {
  let addr: IpAddr;
  try {
    addr = parseAddr(raw);
  } catch (e) {
    throw new Error(`IP Address ${JSON.stringify(raw)} parse error during conversion from string: ${(e as Error).message}`);
  }
  if (addr.zone !== '') throw new Error(`IP address ${JSON.stringify(raw)} with zone value is not allowed`);
  if (is4In6(addr)) throw new Error(`IPv4-mapped IPv6 address ${JSON.stringify(raw)} is not allowed`);
  return addr;
}

export function ipValue(addr: IpAddr): ReflectMessage {
  return makeObject('net.IP', formatAddr(addr));
}

export function ipOf(v: CelValue): IpAddr {
  return parseAddr(objectText(v));
}

function isIp(s: string): boolean {
  try {
    parseIpStrict(s);
    return true;
  } catch {
    return false;
  }
}

const predicate = (name: string, fn: (a: IpAddr) => boolean): CelFunc =>
  celMethod(name, IP, [], BOOL, function () {
    return fn(ipOf(this));
  });

export const ipFuncs: CelFunc[] = [
  celFunc('ip', [STRING], IP, (s) => ipValue(parseIpStrict(s))),
  celFunc('isIP', [STRING], BOOL, isIp),
  celFunc('ip.isCanonical', [STRING], BOOL, (s) => formatAddr(parseIpStrict(s)) === s),
  celFunc('string', [IP], STRING, (v) => objectText(v)),
  celMethod('family', IP, [], INT, function () {
    return is4(ipOf(this)) ? 4n : 6n;
  }),
  predicate('isUnspecified', isUnspecified),
  predicate('isLoopback', isLoopback),
  predicate('isLinkLocalMulticast', isLinkLocalMulticast),
  predicate('isLinkLocalUnicast', isLinkLocalUnicast),
  predicate('isGlobalUnicast', isGlobalUnicast),
];
