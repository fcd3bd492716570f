// What a simulated disk holds (pkg/simulators/storage/content.ts): a test
// writes data onto a claim's volume as its guest would, and reads it back.
import type { PersistentVolume, PersistentVolumeClaim } from '../../pkg/kube/core-types.js';
import { PersistentVolumeClaims, PersistentVolumes } from '../../pkg/kube/resources.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { contentAnnotations, contentOf } from '../../pkg/simulators/storage/content.js';

async function volumeOf(client: Client, namespace: string, claim: string): Promise<PersistentVolume> {
  const c = await client.get<PersistentVolumeClaim>(PersistentVolumeClaims, namespace, claim);
  if (!c.spec.volumeName) throw new Error(`claim ${namespace}/${claim} is not bound`);
  return client.get<PersistentVolume>(PersistentVolumes, undefined, c.spec.volumeName);
}

export async function writeData(client: Client, namespace: string, claim: string, data: string): Promise<void> {
  const pv = await volumeOf(client, namespace, claim);
  await client.patch(PersistentVolumes, undefined, pv.metadata.name!, { merge: { metadata: { annotations: { [contentAnnotations.data]: data } } } });
}

export async function readData(client: Client, namespace: string, claim: string): Promise<string> {
  return contentOf(await volumeOf(client, namespace, claim)).data;
}
