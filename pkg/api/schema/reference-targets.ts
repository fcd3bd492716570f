// What Stratus objects refer to: the resources behind their reference fields.
import { group } from './common.js';
import type { ReferenceTarget } from './kind.js';

const core = (resource: string): ReferenceTarget => ({ group: '', resource, namespaced: true });
const stratus = (resource: string): ReferenceTarget => ({ group, resource, namespaced: true });

export const secrets = core('secrets');
export const configMaps = core('configmaps');
export const volumes = stratus('volumes');
export const networks = stratus('networks');
export const virtualMachines = stratus('virtualmachines');
export const apps = stratus('apps');
export const snapshots = stratus('snapshots');
export const diskImages = stratus('diskimages');
export const clusterInstancetypes: ReferenceTarget = { group: 'instancetype.kubevirt.io', resource: 'virtualmachineclusterinstancetypes', namespaced: false };
export const instancetypes: ReferenceTarget = { group: 'instancetype.kubevirt.io', resource: 'virtualmachineinstancetypes', namespaced: true };
export const issuers: ReferenceTarget = { group: 'cert-manager.io', resource: 'issuers', namespaced: true };
export const clusterIssuers: ReferenceTarget = { group: 'cert-manager.io', resource: 'clusterissuers', namespaced: false };
