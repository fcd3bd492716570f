// The Kubernetes CEL url library (library.URLs). url() validates with
// ParseRequestURI and then takes components from Parse, exactly like upstream.
// Values carry the original text; equality compares the parsed components.

import { celFunc, celMethod, CelScalar, listType, mapType, type CelFunc, type CelValue } from '@bufbuild/cel';
import { celObjectType, makeObject, objectText } from './object-types.js';
import type { ReflectMessage } from '@bufbuild/protobuf/reflect';
import { escapedPath, hostname, parseRequestURI, parseURL, port, query, type GoUrl } from './go-url.js';

export const URL_TYPE = celObjectType('kubernetes.URL');
const { STRING, BOOL } = CelScalar;

function urlValue(raw: string): ReflectMessage {
  try {
    parseRequestURI(raw);
  } catch (e) {
    throw new Error(`URL parse error during conversion from string: ${(e as Error).message}`);
  }
  const u = parseURL(raw);
  // Canonical text = the parsed components, so two spellings of one URL compare equal.
  return makeObject('kubernetes.URL', JSON.stringify([u.scheme, u.opaque, u.user ?? null, u.host, u.path, u.rawPath, u.rawQuery, u.forceQuery, u.fragment]));
}

function urlOf(v: CelValue): GoUrl {
  const [scheme, opaque, user, host, path, rawPath, rawQuery, forceQuery, fragment] = JSON.parse(objectText(v)) as [string, string, string | null, string, string, string, string, boolean, string];
  return { scheme, opaque, ...(user === null ? {} : { user }), host, path, rawPath, rawQuery, forceQuery, fragment };
}

const getter = (name: string, fn: (u: GoUrl) => string): CelFunc =>
  celMethod(name, URL_TYPE, [], STRING, function () {
    return fn(urlOf(this));
  });

export const urlFuncs: CelFunc[] = [
  celFunc('url', [STRING], URL_TYPE, urlValue),
  celFunc('isURL', [STRING], BOOL, (s) => {
    try {
      parseRequestURI(s);
      return true;
    } catch {
      return false;
    }
  }),
  getter('getScheme', (u) => u.scheme),
  getter('getHost', (u) => u.host),
  getter('getHostname', hostname),
  getter('getPort', port),
  getter('getEscapedPath', escapedPath),
  celMethod('getQuery', URL_TYPE, [], mapType(STRING, listType(STRING)), function () {
    return query(urlOf(this));
  }),
];
