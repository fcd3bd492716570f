// The configuration KubeVirt runs with: its KubeVirt CR's
// spec.configuration over KubeVirt's defaults (virt-config), as
// virt-controller reads it. Only the parts the simulator acts on.
import type { KubeVirt, KubeVirtConfiguration } from '../../contracts/kubevirt/index.js';
import { parseQuantity } from '../../kube/quantity.js';

export interface ClusterConfig {
  /** Alpha and beta feature gates the install enables (GA ones are always on). */
  featureGates: ReadonlySet<string>;
  /** vmRolloutStrategy LiveUpdate (the default): CPU, memory, volumes and networks of running VMs follow their VM. */
  liveUpdate: boolean;
  /** workloadUpdateStrategy.workloadUpdateMethods: LiveMigrate lets KubeVirt move VMIs to apply hotplugged CPU, memory or networks. */
  workloadUpdateMethods: readonly string[];
  /** The cluster-wide eviction strategy for VMIs that set none (default None). */
  evictionStrategy: string;
  migrations: {
    parallelMigrationsPerCluster: number;
    parallelOutboundMigrationsPerNode: number;
    /** Seconds a migration may go without progress before it is aborted. */
    progressTimeout: number;
    /** Seconds per GiB of guest memory a migration may take before it is aborted. */
    completionTimeoutPerGiB: number;
    /** Bytes per second one migration may use; 0 is unlimited. */
    bandwidthPerMigration: number;
  };
}

/** virt-config's defaults (pkg/virt-config/virt-config.go). */
const defaults = { parallelMigrationsPerCluster: 5, parallelOutboundMigrationsPerNode: 2, progressTimeout: 150, completionTimeoutPerGiB: 150 };

/** The CR that configures the install: one that virt-operator has deployed (status.phase set), as GetConfigFromKubeVirtCR picks it. */
export function configuringKubeVirt(installs: KubeVirt[]): KubeVirt | undefined {
  return installs.find((kv) => !kv.metadata.deletionTimestamp && kv.status?.phase);
}

export function clusterConfig(install: KubeVirt | undefined): ClusterConfig {
  const c: KubeVirtConfiguration = install?.spec.configuration ?? {};
  const m = c.migrations ?? {};
  return {
    featureGates: new Set(c.developerConfiguration?.featureGates ?? []),
    liveUpdate: (c.vmRolloutStrategy ?? 'LiveUpdate') === 'LiveUpdate',
    workloadUpdateMethods: install?.spec.workloadUpdateStrategy?.workloadUpdateMethods ?? [],
    evictionStrategy: c.evictionStrategy ?? 'None',
    migrations: {
      parallelMigrationsPerCluster: m.parallelMigrationsPerCluster ?? defaults.parallelMigrationsPerCluster,
      parallelOutboundMigrationsPerNode: m.parallelOutboundMigrationsPerNode ?? defaults.parallelOutboundMigrationsPerNode,
      progressTimeout: m.progressTimeout ?? defaults.progressTimeout,
      completionTimeoutPerGiB: m.completionTimeoutPerGiB ?? defaults.completionTimeoutPerGiB,
      bandwidthPerMigration: m.bandwidthPerMigration !== undefined ? parseQuantity(String(m.bandwidthPerMigration)) : 0,
    },
  };
}
