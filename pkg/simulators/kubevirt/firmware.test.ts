import { legacyFirmwareUuid, uuidV5 } from './firmware.js';

describe('uuidV5', () => {
  it('matches RFC 4122 name-based UUIDs', () => {
    // The DNS namespace and www.example.com, as every UUIDv5 library computes it.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives a VM the same legacy firmware UUID every time, another VM another', () => {
    expect(legacyFirmwareUuid('web-1')).toBe(legacyFirmwareUuid('web-1'));
    expect(legacyFirmwareUuid('web-1')).not.toBe(legacyFirmwareUuid('web-2'));
    expect(legacyFirmwareUuid('web-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
