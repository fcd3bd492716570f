// `stratus install` and `stratus uninstall`: the CRDs (and optionally the
// operator from deploy/) on a cluster.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { finalizerProbes } from '../api/admission/finalizer-probes.js';
import { stratusAdmissionPolicies, stratusCrds, stratusMutatingPolicies } from '../api/install.js';
import { parseManifests } from '../api/manifests.js';
import { applyObject, applyOrder, resolve } from '../apply/apply.js';
import { waitForFinalizerPolicies } from '../apply/admission-policies.js';
import { waitForCrdsEstablished } from '../apply/crds.js';
import { CustomResourceDefinitions } from '../kube/resources.js';
import { isNotFound, type ApiError } from '../runtime/client/api-error.js';
import { Client } from '../runtime/client/client.js';
import { RestClient } from '../runtime/client/rest-client.js';
import { NoKindMatchError, RestMapper } from '../runtime/client/rest-mapper.js';
import type { KubeObject } from '../meta/object.js';
import { packageRoot } from '../util/package-root.js';
import { ExitCode, parseFlags, UsageError, type Command } from './command.js';
import { loadKubeConfig } from './kubeconfig.js';

const fieldManager = 'stratus-install';

/** The operator's manifests: deploy/kustomization.yaml's resources, without the CRDs. */
export function operatorManifests(): KubeObject[] {
  const dir = join(packageRoot(), 'deploy');
  const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
  return (kustomization.resources ?? [])
    .filter((r) => !r.startsWith('crds/'))
    .flatMap((r) => parseManifests(r, readFileSync(join(dir, r), 'utf8')).map((d) => d.object!))
    .filter(Boolean);
}

const installUsage = `Usage: stratus install [flags]

Installs (or updates) the Stratus CRDs on the cluster, waits until they
are Established, and installs Stratus's admission policies (which check a
requester's own permissions for every object a Stratus object names; on
Kubernetes 1.36 or later also those that put finalizers on new objects). With --with-operator, also the operator from deploy/
(Namespace stratus-system, RBAC, a 2-replica Deployment with leader election).

Flags:
  --kubeconfig PATH   the cluster (default: KUBECONFIG, ~/.kube/config, .stratus/kubeconfig)
  --with-operator     also install the operator
  --dry-run           only check with the apiserver (server-side dry run)
  -h, --help          show this help`;

export const installCommand: Command = {
  name: 'install',
  usage: installUsage,
  async run(args) {
    const { values } = parseFlags(args, {
      kubeconfig: { type: 'string' },
      'with-operator': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(installUsage + '\n');
      return ExitCode.ok;
    }
    const rest = new RestClient(loadKubeConfig(values.kubeconfig));
    const client = new Client(rest, fieldManager);
    const mapper = new RestMapper(rest);
    const dryRun = values['dry-run'];
    try {
      const crds = stratusCrds();
      for (const crd of crds) {
        await client.apply(CustomResourceDefinitions, crd, { force: true, dryRun });
        process.stdout.write(`customresourcedefinition/${crd.metadata.name} ${dryRun ? 'checked (dry run)' : 'applied'}\n`);
      }
      if (!dryRun) {
        await waitForCrdsEstablished(client, crds.map((c) => c.metadata.name!), 60_000);
        process.stdout.write('CRDs established\n');
      }
      for (const obj of stratusAdmissionPolicies()) {
        const { type } = await applyObject(client, mapper, obj, { fieldManager, force: true, dryRun });
        process.stdout.write(`${type.resource}/${obj.metadata.name} ${dryRun ? 'checked (dry run)' : 'applied'}\n`);
      }
      try {
        for (const obj of stratusMutatingPolicies()) {
          const { type } = await applyObject(client, mapper, obj, { fieldManager, force: true, dryRun });
          process.stdout.write(`${type.resource}/${obj.metadata.name} ${dryRun ? 'checked (dry run)' : 'applied'}\n`);
        }
        if (!dryRun) {
          await waitForFinalizerPolicies(client, finalizerProbes('default'));
          process.stdout.write('finalizer policies in effect\n');
        }
      } catch (err) {
        if (!(err instanceof NoKindMatchError)) throw err;
        process.stdout.write('mutatingadmissionpolicies not served (Kubernetes before 1.36): skipped; the controllers add the finalizers themselves\n');
      }
      if (values['with-operator']) {
        const manifests = applyOrder(operatorManifests());
        const creating = new Set(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name));
        for (const obj of manifests) {
          try {
            const { type } = await applyObject(client, mapper, obj, { fieldManager, force: true, dryRun });
            process.stdout.write(`${type.resource}/${obj.metadata.name} ${dryRun ? 'checked (dry run)' : 'applied'}\n`);
          } catch (err) {
            // A dry run creates no namespace, so what goes into the one this install creates cannot be checked.
            const missingNamespace = isNotFound(err) && (err as ApiError).body.details?.kind === 'namespaces' && creating.has(obj.metadata.namespace);
            if (!dryRun || !missingNamespace) throw err;
            process.stdout.write(`${obj.kind}/${obj.metadata.name} not checked: namespace ${obj.metadata.namespace} does not exist yet (this install creates it)\n`);
          }
        }
      }
      return ExitCode.ok;
    } finally {
      rest.close();
    }
  },
};

const uninstallUsage = `Usage: stratus uninstall --yes [flags]

Removes the operator (if installed from deploy/), the Stratus CRDs and
their admission policies.
Deleting the CRDs deletes every Stratus object in the cluster; Volumes with
reclaimPolicy Retain keep their claims only while the controllers run, so
uninstall the CRDs before stopping the operator.

Flags:
  --kubeconfig PATH   the cluster
  --keep-crds         remove only the operator
  --yes               confirm (required)
  -h, --help          show this help`;

export const uninstallCommand: Command = {
  name: 'uninstall',
  usage: uninstallUsage,
  async run(args) {
    const { values } = parseFlags(args, {
      kubeconfig: { type: 'string' },
      'keep-crds': { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(uninstallUsage + '\n');
      return ExitCode.ok;
    }
    if (!values.yes) throw new UsageError('this deletes every Stratus object in the cluster; pass --yes to confirm');
    const rest = new RestClient(loadKubeConfig(values.kubeconfig));
    const client = new Client(rest, fieldManager);
    const mapper = new RestMapper(rest);
    const gone = (err: unknown) => {
      if (!isNotFound(err)) throw err;
    };
    try {
      if (!values['keep-crds']) {
        for (const obj of [...stratusAdmissionPolicies(), ...stratusMutatingPolicies()]) {
          const mapped = await resolve(mapper, obj).catch((err: unknown) => {
            if (err instanceof NoKindMatchError) return undefined; // not served: nothing was installed
            throw err;
          });
          if (!mapped) continue;
          await client.delete(mapped.type, undefined, mapped.object.metadata.name!).catch(gone);
          process.stdout.write(`${mapped.type.resource}/${obj.metadata.name} deleted\n`);
        }
        for (const crd of stratusCrds()) {
          await client.delete(CustomResourceDefinitions, undefined, crd.metadata.name!).catch(gone);
          process.stdout.write(`customresourcedefinition/${crd.metadata.name} deleted\n`);
        }
      }
      for (const obj of applyOrder(operatorManifests()).reverse()) {
        if (obj.kind === 'Namespace') continue;
        const { object, type } = await resolve(mapper, obj);
        await client.delete(type, object.metadata.namespace, object.metadata.name!).catch(gone);
        process.stdout.write(`${type.resource}/${obj.metadata.name} deleted\n`);
      }
      return ExitCode.ok;
    } finally {
      rest.close();
    }
  },
};
