import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { loadKubeConfig } from './kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'stratus-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');

function kubeconfig(file: string, o: { current?: string; clusters?: Record<string, object>; users?: Record<string, object>; contexts?: Record<string, [string, string]> }): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': o.current,
      clusters: Object.entries(o.clusters ?? {}).map(([name, cluster]) => ({ name, cluster })),
      users: Object.entries(o.users ?? {}).map(([name, user]) => ({ name, user })),
      contexts: Object.entries(o.contexts ?? {}).map(([name, [cluster, user]]) => ({ name, context: { cluster, user } })),
    }),
  );
  return path;
}

async function optionsOf(path?: string): Promise<RequestOptions> {
  const options: RequestOptions = { headers: {} };
  await loadKubeConfig(path).applyToHTTPSOptions(options);
  return options;
}

describe('loadKubeConfig', () => {
  it("gives the current context's server, inline certificates and TLS server name", async () => {
    const path = kubeconfig('inline.yaml', {
      current: 'b',
      clusters: { one: { server: 'https://one:6443' }, two: { server: 'https://two:6443', 'certificate-authority-data': b64('CA'), 'tls-server-name': 'api.two' } },
      users: { admin: { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') } },
      contexts: { a: ['one', 'admin'], b: ['two', 'admin'] },
    });
    expect(loadKubeConfig(path).getCurrentCluster()).toEqual({ server: 'https://two:6443' });
    const o = await optionsOf(path);
    expect([o.ca?.toString(), o.cert?.toString(), o.key?.toString(), o.servername, o.rejectUnauthorized]).toEqual(['CA', 'CERT', 'KEY', 'api.two', undefined]);
    expect(o.headers).toEqual({});
  });

  it('reads files relative to the kubeconfig, and a token file again once it is a minute old', async () => {
    writeFileSync(join(dir, 'ca.crt'), 'CA FILE');
    writeFileSync(join(dir, 'token'), 'first\n');
    const path = kubeconfig('files.yaml', {
      current: 'c',
      clusters: { k: { server: 'https://k:443', 'certificate-authority': 'ca.crt', 'insecure-skip-tls-verify': true } },
      users: { u: { tokenFile: 'token' } },
      contexts: { c: ['k', 'u'] },
    });
    const access = loadKubeConfig(path);
    const apply = async () => {
      const o: RequestOptions = { headers: {} };
      await access.applyToHTTPSOptions(o);
      return o;
    };
    const first = await apply();
    expect([first.ca?.toString(), first.rejectUnauthorized, first.headers]).toEqual(['CA FILE', false, { Authorization: 'Bearer first' }]);
    writeFileSync(join(dir, 'token'), 'rotated\n');
    expect((await apply()).headers).toEqual({ Authorization: 'Bearer first' });
    const realNow = Date.now;
    Date.now = () => realNow() + 61_000;
    try {
      expect((await apply()).headers).toEqual({ Authorization: 'Bearer rotated' });
    } finally {
      Date.now = realNow;
    }
  });

  it('merges KUBECONFIG as kubectl does: the first file to set a name or the context wins, missing files are skipped', async () => {
    const first = kubeconfig('first.yaml', { current: 'dev', users: { me: { token: 'from-first' } } });
    const second = kubeconfig('second.yaml', {
      current: 'prod',
      clusters: { dev: { server: 'https://dev:6443' }, prod: { server: 'https://prod:6443' } },
      users: { me: { token: 'from-second' } },
      contexts: { dev: ['dev', 'me'], prod: ['prod', 'me'] },
    });
    const saved = process.env.KUBECONFIG;
    try {
      process.env.KUBECONFIG = [join(dir, 'missing.yaml'), first, second].join(delimiter);
      expect(loadKubeConfig().getCurrentCluster()).toEqual({ server: 'https://dev:6443' });
      expect((await optionsOf()).headers).toEqual({ Authorization: 'Bearer from-first' });
      process.env.KUBECONFIG = join(dir, 'missing.yaml');
      expect(() => loadKubeConfig()).toThrow(/^KUBECONFIG: none of .*missing\.yaml exists$/);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });

  it('says what is missing: the file, or a current cluster', () => {
    expect(() => loadKubeConfig(join(dir, 'nope.yaml'))).toThrow(/^--kubeconfig: .*nope\.yaml does not exist$/);
    const path = kubeconfig('no-context.yaml', { current: 'gone', clusters: { k: { server: 'https://k' } } });
    expect(() => loadKubeConfig(path)).toThrow('the kubeconfig has no current cluster (check its current-context)');
  });

  it("runs a user's exec plugin through client-node, loaded only then", async () => {
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'from-exec' } });
    const path = kubeconfig('exec.yaml', {
      current: 'c',
      clusters: { k: { server: 'https://k:6443' } },
      users: { u: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'sh', args: ['-c', `echo '${credential}'`], interactiveMode: 'Never' } } },
      contexts: { c: ['k', 'u'] },
    });
    expect(loadKubeConfig(path).getCurrentCluster()).toEqual({ server: 'https://k:6443' });
    expect((await optionsOf(path)).headers).toMatchObject({ Authorization: 'Bearer from-exec' });
  });

  it('sends a username and password as basic auth', async () => {
    const path = kubeconfig('basic.yaml', { current: 'c', clusters: { k: { server: 'http://k:8080' } }, users: { u: { username: 'ann', password: 'secret' } }, contexts: { c: ['k', 'u'] } });
    expect((await optionsOf(path)).auth).toBe('ann:secret');
  });
});
