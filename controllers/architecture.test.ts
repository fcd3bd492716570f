// The walls between folders: controllers/ folders import each other without
// cycles (shared/ and ipam/ are underneath the kinds' folders), and production
// code never reaches into the embedded plane's simulators.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { packageRoot } from '../pkg/util/package-root.js';

const root = packageRoot();

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The files a source file imports, relative to the package root. */
function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/from '(\.[^']+)\.js'/g)].map((m) => relative(root, join(root, dirname(file), m[1]!)));
}

describe('architecture', () => {
  it('has no import cycle between the folders of controllers/', () => {
    const folderOf = (f: string) => f.split('/')[1]!;
    const edges = new Map<string, Set<string>>();
    for (const file of sources('controllers')) {
      for (const target of imports(file)) {
        if (!target.startsWith('controllers/') || folderOf(target) === folderOf(file) || !target.includes('/', 'controllers/'.length)) continue;
        const from = folderOf(file);
        edges.set(from, new Set([...(edges.get(from) ?? []), folderOf(target)]));
      }
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
        return;
      }
      for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of edges.keys()) visit(node, []);
    expect(cycles).toEqual([]);
    // The kinds stand on shared/ and ipam/, never the other way round.
    expect([...(edges.get('shared') ?? [])]).toEqual([]);
    expect([...(edges.get('ipam') ?? [])].filter((f) => f !== 'shared')).toEqual([]);
  });

  it('keeps production code out of pkg/simulators', () => {
    const offenders = ['controllers', 'pkg/runtime', 'pkg/api', 'pkg/kube', 'pkg/meta', 'pkg/gitops', 'pkg/contracts', 'pkg/apply']
      .flatMap(sources)
      .filter((f) => imports(f).some((t) => t.startsWith('pkg/simulators/')));
    expect(offenders).toEqual([]);
  });

  it('keeps pkg/meta, pkg/kube and pkg/contracts beneath the runtime', () => {
    const offenders = ['pkg/meta', 'pkg/kube', 'pkg/contracts'].flatMap(sources).filter((f) => imports(f).some((t) => t.startsWith('pkg/runtime/') || t.startsWith('controllers/')));
    expect(offenders).toEqual([]);
  });
});
