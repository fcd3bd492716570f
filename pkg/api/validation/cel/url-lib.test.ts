import { cel, celError } from '../../../../test/support/cel.js';

describe('url library', () => {
  test.each([
    'isURL("https://user:pass@example.com:80/path?query=val#fragment") && isURL("/absolute-path")',
    '!isURL("https://a:b:c/") && !isURL("../relative-path")',
    'url("/path").getScheme() == "" && url("https://example.com/").getScheme() == "https"',
    'url("https://example.com:80/").getHost() == "example.com:80" && url("https://[::1]:80/").getHost() == "[::1]:80" && url("/path").getHost() == ""',
    'url("https://example.com:80/").getHostname() == "example.com" && url("https://127.0.0.1:80/").getHostname() == "127.0.0.1" && url("https://[::1]:80/").getHostname() == "::1"',
    'url("https://example.com:80/").getPort() == "80" && url("https://example.com/").getPort() == ""',
    'url("https://example.com/path").getEscapedPath() == "/path" && url("https://example.com").getEscapedPath() == ""',
    'url("https://example.com/path with spaces/").getEscapedPath() == "/path%20with%20spaces/"',
    'url("https://example.com/path?k1=a&k2=b&k2=c").getQuery() == {"k1": ["a"], "k2": ["b", "c"]}',
    'url("https://example.com/path?key with spaces=value with spaces").getQuery() == {"key with spaces": ["value with spaces"]}',
    'url("https://example.com/path?").getQuery() == {} && url("https://example.com/path").getQuery() == {}',
    'url("https://example.com/#frag").getEscapedPath() == "/"',
    'url("HTTPS://example.com/") == url("https://example.com/")',
  ])('%s', (expr) => {
    expect(cel(expr)).toEqual({ value: true });
  });

  test('url() error', () => {
    expect(celError('url("../relative-path")')).toBe('URL parse error during conversion from string: parse "../relative-path": invalid URI for request');
  });
});
