// The IPAM section of a CNI configuration that uses whereabouts
// (k8snetworkplumbingwg/whereabouts pkg/types: IPAMConfig and RangeConfiguration,
// by their JSON names). Whereabouts ships no schema for it: it is JSON inside
// a NetworkAttachmentDefinition's spec.config.

export interface WhereaboutsRangeConfig {
  /** CIDR to lease from. */
  range?: string;
  range_start?: string;
  range_end?: string;
  /** CIDRs (or single addresses) never leased. */
  exclude?: string[];
}

export interface WhereaboutsIpamConfig extends WhereaboutsRangeConfig {
  type: 'whereabouts';
  /** Keeps the leases of configurations that name the same network apart from others on the same range. */
  network_name?: string;
  /** Several ranges instead of (or beside) `range`. */
  ipRanges?: WhereaboutsRangeConfig[];
  gateway?: string;
}
