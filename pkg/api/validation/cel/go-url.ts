// The parts of Go's net/url that the Kubernetes url() CEL function depends on:
// url.ParseRequestURI (validity), url.Parse (components), Hostname, Port,
// EscapedPath and Query. WHATWG URL (Node's URL) normalises and accepts
// different inputs, so it cannot give the same verdicts.

import { parseAddr } from './ip-addr.js';

export interface GoUrl {
  scheme: string;
  opaque: string;
  user?: string;
  host: string;
  path: string;
  rawPath: string;
  rawQuery: string;
  forceQuery: boolean;
  fragment: string;
}

type Mode = 'path' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);

function shouldEscape(c: string, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  if ((mode === 'host' || mode === 'zone') && "!$&'()*+,;=:[]<>\"".includes(c)) return false;
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    switch (mode) {
      case 'path':
        return c === '?';
      case 'userPassword':
        return c === '@' || c === '/' || c === '?' || c === ':';
      case 'queryComponent':
        return true;
      case 'fragment':
        return false;
      default:
        break;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

export class GoUrlError extends Error {
  override readonly name = 'GoUrlError';
}

/** url.unescape over UTF-8 bytes; throws like Go on malformed escapes and bad host characters. */
function unescape(s: string, mode: Mode): string {
  const bytes = Buffer.from(s, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const c = String.fromCharCode(b);
    if (c === '%') {
      const h1 = String.fromCharCode(bytes[i + 1] ?? 0);
      const h2 = String.fromCharCode(bytes[i + 2] ?? 0);
      if (i + 2 >= bytes.length || !isHex(h1) || !isHex(h2)) {
        const esc = Buffer.from(bytes.subarray(i, Math.min(i + 3, bytes.length))).toString('latin1');
        throw new GoUrlError(`invalid URL escape ${JSON.stringify(esc)}`);
      }
      if (mode === 'host' && parseInt(h1, 16) < 8 && `%${h1}${h2}` !== '%25') {
        throw new GoUrlError(`invalid URL escape ${JSON.stringify(`%${h1}${h2}`)}`);
      }
      out.push(parseInt(h1 + h2, 16));
      i += 2;
    } else if (c === '+' && mode === 'queryComponent') {
      out.push(0x20);
    } else {
      if ((mode === 'host' || mode === 'zone') && b < 0x80 && shouldEscape(c, mode)) {
        throw new GoUrlError(`invalid character ${JSON.stringify(c)} in host name`);
      }
      out.push(b);
    }
  }
  return Buffer.from(out).toString('utf8');
}

function escape(s: string, mode: Mode): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && !shouldEscape(c, mode) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new GoUrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

const validOptionalPort = (port: string): boolean => port === '' || /^:\d*$/.test(port);

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new GoUrlError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new GoUrlError(`invalid port ${JSON.stringify(colonPort)} after host`);
    // Bracketed hosts must be IPv6 literals (Go >= 1.25.2 / 1.24.8 enforce this).
    const zoneAt = host.slice(0, i).indexOf('%25');
    const literal = host.slice(1, zoneAt >= 0 ? zoneAt : i);
    let ok = false;
    try {
      ok = parseAddr(literal).bytes.length === 16;
    } catch {
      ok = false;
    }
    if (!ok) throw new GoUrlError(`invalid IP-literal ${JSON.stringify(literal)}`);
    if (zoneAt >= 0) {
      const host1 = unescape(host.slice(0, zoneAt), 'host');
      const host2 = unescape(host.slice(zoneAt, i), 'zone');
      const host3 = unescape(host.slice(i), 'host');
      return host1 + host2 + host3;
    }
  } else {
    const i = host.lastIndexOf(':');
    if (i >= 0 && !validOptionalPort(host.slice(i))) throw new GoUrlError(`invalid port ${JSON.stringify(host.slice(i))} after host`);
  }
  return unescape(host, 'host');
}

const validUserinfo = (s: string): boolean => /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);

function parseAuthority(authority: string): { user?: string; host: string } {
  const i = authority.lastIndexOf('@');
  if (i < 0) return { host: parseHost(authority) };
  const host = parseHost(authority.slice(i + 1));
  const userinfo = authority.slice(0, i);
  if (!validUserinfo(userinfo)) throw new GoUrlError('net/url: invalid userinfo');
  return { user: unescape(userinfo, 'userPassword'), host };
}

function parse(rawURL: string, viaRequest: boolean): GoUrl {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(rawURL)) throw new GoUrlError('net/url: invalid control character in URL');
  if (rawURL === '' && viaRequest) throw new GoUrlError('empty url');
  const u: GoUrl = { scheme: '', opaque: '', host: '', path: '', rawPath: '', rawQuery: '', forceQuery: false, fragment: '' };
  if (rawURL === '*') {
    u.path = '*';
    return u;
  }
  const [scheme, afterScheme] = getScheme(rawURL);
  u.scheme = scheme.toLowerCase();
  let rest = afterScheme;
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      u.opaque = rest;
      return u;
    }
    if (viaRequest) throw new GoUrlError('invalid URI for request');
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) throw new GoUrlError('first path segment in URL cannot contain colon');
  }
  if ((u.scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    const afterSlashes = rest.slice(2);
    const slash = afterSlashes.indexOf('/');
    const authority = slash < 0 ? afterSlashes : afterSlashes.slice(0, slash);
    rest = slash < 0 ? '' : afterSlashes.slice(slash);
    const { user, host } = parseAuthority(authority);
    if (user !== undefined) u.user = user;
    u.host = host;
  }
  u.path = unescape(rest, 'path');
  u.rawPath = escape(u.path, 'path') === rest ? '' : rest;
  return u;
}

function wrap(op: string, raw: string, fn: () => GoUrl): GoUrl {
  try {
    return fn();
  } catch (e) {
    throw new GoUrlError(`${op} ${JSON.stringify(raw)}: ${(e as Error).message}`);
  }
}

/** url.ParseRequestURI: absolute URI or absolute path, no fragment handling. */
export function parseRequestURI(raw: string): GoUrl {
  return wrap('parse', raw, () => parse(raw, true));
}

/** url.Parse (splits off the fragment first). */
export function parseURL(raw: string): GoUrl {
  return wrap('parse', raw, () => {
    const hash = raw.indexOf('#');
    const u = parse(hash < 0 ? raw : raw.slice(0, hash), false);
    if (hash >= 0) u.fragment = unescape(raw.slice(hash + 1), 'fragment');
    return u;
  });
}

// url.splitHostPort, shared by Hostname and Port.
function splitHostPort(hostPort: string): [string, string] {
  let host = hostPort;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && validOptionalPort(host.slice(colon))) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return [host, port];
}

export const hostname = (u: GoUrl): string => splitHostPort(u.host)[0];
export const port = (u: GoUrl): string => splitHostPort(u.host)[1];

function validEncodedPath(s: string): boolean {
  for (const c of s) {
    if ("!$&'()*+,;=:@[]%".includes(c)) continue;
    if (c.charCodeAt(0) >= 0x80 || shouldEscape(c, 'path')) return false;
  }
  return true;
}

export function escapedPath(u: GoUrl): string {
  if (u.rawPath !== '' && validEncodedPath(u.rawPath)) {
    try {
      if (unescape(u.rawPath, 'path') === u.path) return u.rawPath;
    } catch {
      // fall through to re-escaping
    }
  }
  if (u.path === '*') return '*';
  return escape(u.path, 'path');
}

/** url.Values from u.Query(): malformed pairs are skipped, order of values kept. */
export function query(u: GoUrl): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of u.rawQuery.split('&')) {
    if (part === '' || part.includes(';')) continue;
    const eq = part.indexOf('=');
    const [rawKey, rawValue] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    let key: string;
    let value: string;
    try {
      key = unescape(rawKey, 'queryComponent');
      value = unescape(rawValue, 'queryComponent');
    } catch {
      continue;
    }
    const list = m.get(key) ?? [];
    list.push(value);
    m.set(key, list);
  }
  return m;
}
