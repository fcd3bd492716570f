// `stratus status`: every Stratus object's health, and why (kstatus).
import { health, type Health } from '../api/kstatus.js';
import { Apps, DiskImages, Networks, Restores, Scalers, Snapshots, SnapshotSchedules, VirtualMachines, Volumes } from '../api/resources.js';
import { Client } from '../runtime/client/client.js';
import { isNotFound } from '../runtime/client/api-error.js';
import { RestClient } from '../runtime/client/rest-client.js';
import type { ResourceType } from '../meta/resource.js';
import type { KubeObject } from '../meta/object.js';
import type { Scaler, ScalerDecision } from '../api/types.generated.js';
import { ExitCode, parseFlags, UsageError, type Command } from './command.js';
import { loadKubeConfig } from './kubeconfig.js';

const kinds: ResourceType[] = [Networks, Volumes, VirtualMachines, Apps, Scalers, DiskImages, Snapshots, SnapshotSchedules, Restores];

const usage = `Usage: stratus status [flags] [KIND[/NAME]]

Shows the health of Stratus objects as kstatus reads it (Current,
InProgress, Failed), with the condition message that explains it. KIND is
virtualmachine (svm), volume (svol), network (snet), app (sapp), scaler
(ssc), diskimage (simg), snapshot (ssnap), snapshotschedule (ssched) or
restore (srestore). Exits 1 if any object shown is Failed.

Flags:
  -n, --namespace NS    only this namespace (default: all namespaces)
  --kubeconfig PATH     the cluster (default: KUBECONFIG, ~/.kube/config, then .stratus/kubeconfig)
  -o, --output FORMAT   text (default) or json
  -h, --help            show this help`;

const aliases: Record<string, ResourceType> = {};
for (const k of kinds) {
  for (const name of [k.kind.toLowerCase(), k.resource, `${k.resource}.stratus.dev`]) aliases[name] = k;
}
Object.assign(aliases, { svm: VirtualMachines, svol: Volumes, snet: Networks, sapp: Apps, ssc: Scalers, simg: DiskImages, ssnap: Snapshots, ssched: SnapshotSchedules, srestore: Restores });

export interface StatusRow extends Health {
  kind: string;
  namespace: string;
  name: string;
  /** A Scaler's status.decision: why it wants the replicas it wants. */
  decision?: ScalerDecision;
}

/** A Scaler's health, then its decision: what most often needs explaining is why the count is what it is. */
function row(type: ResourceType, o: KubeObject): StatusRow {
  const r: StatusRow = { kind: type.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '', ...health(o) };
  const decision = type === Scalers ? (o as Scaler).status?.decision : undefined;
  if (decision) {
    r.decision = decision;
    r.message = `${r.message}; ${decision.limitedBy === 'None' ? '' : `${decision.limitedBy}: `}${decision.message}`;
  }
  return r;
}

export const statusCommand: Command = {
  name: 'status',
  usage,
  async run(args) {
    const { values, positionals } = parseFlags(
      args,
      {
        namespace: { type: 'string', short: 'n' },
        kubeconfig: { type: 'string' },
        output: { type: 'string', short: 'o', default: 'text' },
        help: { type: 'boolean', short: 'h' },
      },
      true,
    );
    if (values.help) {
      process.stdout.write(usage + '\n');
      return ExitCode.ok;
    }
    if (values.output !== 'text' && values.output !== 'json') throw new UsageError('--output: want text or json');
    if (positionals.length > 1) throw new UsageError('name at most one KIND[/NAME]');
    const [kindArg, nameArg] = (positionals[0] ?? '').split('/');
    const selected = kindArg ? aliases[kindArg.toLowerCase()] : undefined;
    if (kindArg && !selected) throw new UsageError(`unknown kind "${kindArg}" (want one of svm, svol, snet, sapp, ssc)`);
    if (nameArg && !values.namespace) throw new UsageError('naming an object needs --namespace');
    const rest = new RestClient(loadKubeConfig(values.kubeconfig));
    const client = new Client(rest);
    const rows: StatusRow[] = [];
    try {
      for (const type of selected ? [selected] : kinds) {
        let objects: KubeObject[];
        if (nameArg) {
          try {
            objects = [await client.get(type, values.namespace, nameArg)];
          } catch (err) {
            if (!isNotFound(err)) throw err;
            rows.push({ kind: type.kind, namespace: values.namespace!, name: nameArg, ...health(undefined) });
            continue;
          }
        } else objects = (await client.listAll(type, { namespace: values.namespace })).items;
        for (const o of objects) rows.push(row(type, o));
      }
    } finally {
      rest.close();
    }
    if (values.output === 'json') process.stdout.write(JSON.stringify({ objects: rows }, null, 2) + '\n');
    else process.stdout.write(table(rows));
    return rows.some((r) => r.status === 'Failed' || r.status === 'NotFound') ? ExitCode.failed : ExitCode.ok;
  },
};

export function table(rows: StatusRow[]): string {
  if (!rows.length) return 'No Stratus objects found.\n';
  const head = ['NAMESPACE', 'KIND', 'NAME', 'STATUS', 'MESSAGE'];
  const cells = rows.map((r) => [r.namespace, r.kind, r.name, r.status, r.message]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]!))).join('  ');
  return [line(head), ...cells.map(line)].join('\n') + '\n';
}
