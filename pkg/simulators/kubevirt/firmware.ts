// virt-controller's firmware synchronizer (pkg/virt-controller/watch/vm
// firmware.go): a VM whose template has no firmware UUID gets the legacy one,
// a UUIDv5 of its name, written into spec.template.spec.domain.firmware, so
// the guest sees the same UUID across restarts. (virt-api's mutating webhook
// gives VMs it admits a random UUID and serial already.)
import { createHash } from 'node:crypto';

const firmwareNamespace = '6a1a24a1-4061-4607-8bf4-a3963d0c5895';

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export function uuidV5(namespace: string, name: string): string {
  const h = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function legacyFirmwareUuid(vmName: string): string {
  return uuidV5(firmwareNamespace, vmName);
}
