// `stratus validate`: checks manifests offline against Stratus's CRD schemas
// and validation rules, with the apiserver's verdicts and field paths.
import { loadManifests, type ManifestDocument } from '../api/manifests.js';
import { formatFieldError, type FieldError } from '../api/validation/field-error.js';
import { kindDefinition, validateObject } from '../api/validation/validate-object.js';
import { ExitCode, parseFlags, UsageError, type Command } from './command.js';

const usage = `Usage: stratus validate [flags] <file or folder>...

Validates YAML/JSON manifests without a cluster: Stratus kinds against their
CRD schemas (unknown fields, types, enums, defaults) and every validation
rule, reported as the apiserver would report them. Other kinds get their
metadata checked. Exits 1 if anything is invalid.

What needs the cluster is checked on the server only: that you may read
every object a Stratus object names (Secrets, ConfigMaps, Volumes, Networks,
a Scaler's metric objects and target, …), that you may create provider
Networks, and the cluster's settings (allowed Prometheus servers).

Flags:
  -o, --output FORMAT   text (default) or json
  -h, --help            show this help`;

const serverChecks =
  'the apiserver also checks, at admission, that you may read every object these manifests name (Secrets, Volumes, Networks, …) and the cluster settings; that needs the cluster and is not checked here';

export interface DocumentReport {
  file: string;
  index: number;
  kind?: string;
  name?: string;
  namespace?: string;
  errors: string[];
  warnings: string[];
}

export function validateDocuments(docs: ManifestDocument[]): DocumentReport[] {
  return docs.map((doc) => {
    const base = { file: doc.file, index: doc.index };
    if (doc.error || !doc.object) return { ...base, errors: [`cannot parse: ${doc.error ?? 'empty document'}`], warnings: [] };
    const o = doc.object;
    const result = validateObject(o);
    return {
      ...base,
      kind: o.kind,
      name: o.metadata?.name,
      namespace: o.metadata?.namespace,
      errors: result.errors.map((e: FieldError) => formatFieldError(e)),
      warnings: result.warnings,
    };
  });
}

export const validateCommand: Command = {
  name: 'validate',
  usage,
  async run(args) {
    const { values, positionals } = parseFlags(args, { output: { type: 'string', short: 'o', default: 'text' }, help: { type: 'boolean', short: 'h' } }, true);
    if (values.help) {
      process.stdout.write(usage + '\n');
      return ExitCode.ok;
    }
    if (!positionals.length) throw new UsageError('name at least one file or folder');
    if (values.output !== 'text' && values.output !== 'json') throw new UsageError('--output: want text or json');
    let docs: ManifestDocument[];
    try {
      docs = loadManifests(positionals);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const reports = validateDocuments(docs);
    const invalid = reports.filter((r) => r.errors.length);
    const notes = docs.some((d) => d.object && kindDefinition(d.object)) ? [serverChecks] : [];
    if (values.output === 'json') {
      process.stdout.write(JSON.stringify({ valid: invalid.length === 0, documents: reports, notes }, null, 2) + '\n');
    } else {
      for (const r of reports) {
        const where = `${r.file}[${r.index}]${r.kind ? ` ${r.kind} ${r.namespace ? r.namespace + '/' : ''}${r.name ?? ''}` : ''}`;
        for (const e of r.errors) process.stdout.write(`${where}: ${e}\n`);
        for (const w of r.warnings) process.stdout.write(`${where}: warning: ${w}\n`);
      }
      const summary = `${reports.length} document${reports.length === 1 ? '' : 's'}, ${invalid.length} invalid`;
      process.stderr.write(`${invalid.length ? 'invalid' : 'valid'}: ${summary}\n`);
      for (const note of notes) process.stderr.write(`note: ${note}\n`);
    }
    return invalid.length ? ExitCode.failed : ExitCode.ok;
  },
};
