import { readField } from './field-path.js';

describe('readField', () => {
  const obj = { data: { depth: '25' }, status: { queueLength: 7, queues: [{ length: 3 }, { length: '250m' }], label: 'busy' } };

  it.each([
    ['.data.depth', { value: '25' }],
    ['.status.queueLength', { value: 7 }],
    ['.status.queues[1].length', { value: '250m' }],
    ['status.queues[0].length', { value: 3 }],
    ['.status.missing', { error: 'field .status.missing not found' }],
    ['.status.label', { error: 'field .status.label holds "busy", not a number' }],
    ['.data.depth.deeper', { error: 'field .data.depth.deeper not found' }],
  ])('%s', (path, expected) => expect(readField(obj, path)).toEqual(expected));
});
