// Reads manifests from files and folders: every YAML (or JSON) document,
// remembering where it came from, with syntax errors reported per document.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../meta/object.js';

export interface ManifestDocument {
  file: string;
  /** 0-based position of the document in its file. */
  index: number;
  object?: KubeObject;
  /** Why the document could not be read. */
  error?: string;
}

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);

/** The manifest files under `path` (itself, if a file), sorted for a stable order. */
export function manifestFiles(path: string): string[] {
  const stat = statSync(path);
  if (stat.isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const full = join(path, e.name);
      if (e.isDirectory()) return manifestFiles(full);
      return manifestExtensions.has(extname(e.name)) ? [full] : [];
    });
}

export function parseManifests(file: string, text: string): ManifestDocument[] {
  const out: ManifestDocument[] = [];
  parseAllDocuments(text, { prettyErrors: true }).forEach((doc, index) => {
    if (doc.errors.length) {
      out.push({ file, index, error: doc.errors.map((e) => e.message.split('\n')[0]).join('; ') });
      return;
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.push({ file, index, error: 'a manifest must be a mapping (apiVersion, kind, metadata, …)' });
      return;
    }
    const obj = value as KubeObject;
    if (obj.kind === 'List' && Array.isArray(obj.items)) {
      (obj.items as KubeObject[]).forEach((item) => out.push({ file, index, object: item }));
      return;
    }
    out.push({ file, index, object: obj });
  });
  return out;
}

export function loadManifests(paths: string[]): ManifestDocument[] {
  return paths.flatMap((p) => manifestFiles(p)).flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      return [{ file, index: 0, error: `cannot read: ${(err as Error).message}` }];
    }
    return parseManifests(file, text);
  });
}
