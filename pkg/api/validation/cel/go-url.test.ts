import { escapedPath, hostname, parseRequestURI, parseURL, port, query } from './go-url.js';

describe('Go net/url emulation', () => {
  test.each(['https://user:pass@example.com:80/path?query=val#fragment', '/absolute-path', 'https://example.com', 'mailto:someone@example.com', '*', 'https://[::1]:80/', 'http://example.com/p%20q'])(
    'ParseRequestURI accepts %j',
    (raw) => {
      expect(() => parseRequestURI(raw)).not.toThrow();
    },
  );

  test.each(['', '../relative-path', 'relative', 'https://a:b:c/', 'https://example.com/%zz', 'https://exa mple.com/', 'https://[::1/', 'https://[1.2.3.4]/', ':foo', 'http://a\nb'])(
    'ParseRequestURI rejects %j',
    (raw) => {
      expect(() => parseRequestURI(raw)).toThrow(/parse/);
    },
  );

  test('components', () => {
    const u = parseURL('HTTPS://user@[::1]:8443/a%2Fb c?k1=a&k2=b&k2=c&bad=%zz&x;y=1&sp+ace=v+w#frag');
    expect(u.scheme).toBe('https');
    expect(u.host).toBe('[::1]:8443');
    expect(hostname(u)).toBe('::1');
    expect(port(u)).toBe('8443');
    // RawPath '/a%2Fb c' is not validly encoded (space), so the decoded path is re-escaped.
    expect(escapedPath(u)).toBe('/a/b%20c');
    expect(escapedPath(parseURL('https://h/a%2Fb'))).toBe('/a%2Fb');
    expect(Object.fromEntries(query(u))).toEqual({ k1: ['a'], k2: ['b', 'c'], 'sp ace': ['v w'] });
    expect(u.fragment).toBe('frag');
  });

  test('hostname and port without brackets', () => {
    const u = parseURL('https://example.com:80/');
    expect([hostname(u), port(u)]).toEqual(['example.com', '80']);
    const v = parseURL('https://example.com/');
    expect([hostname(v), port(v), escapedPath(v)]).toEqual(['example.com', '', '/']);
  });
});
