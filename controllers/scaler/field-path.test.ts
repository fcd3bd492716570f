import { readField } from './field-path.js';

describe('readField', () => {
  const token = 'ghp_9xQ2vLr8TmZk4wYb7NcE1sHd5JfA3uPo6RgT';
  const obj = {
    data: { depth: '25', password: Buffer.from(token).toString('base64'), token },
    status: { queueLength: 7, queues: [{ length: 3 }, { length: '250m' }], label: 'busy', ready: true, auth: { user: 'admin', key: token } },
  };

  it.each([
    ['.data.depth', { value: '25' }],
    ['.status.queueLength', { value: 7 }],
    ['.status.queues[1].length', { value: '250m' }],
    ['status.queues[0].length', { value: 3 }],
    ['.status.missing', { error: 'field .status.missing not found' }],
    ['.status.label', { error: 'field .status.label holds a string of 4 characters, not a number' }],
    ['.data.depth.deeper', { error: 'field .data.depth.deeper not found' }],
    ['.status.ready', { error: 'field .status.ready holds a boolean, not a number' }],
    ['.status.queues', { error: 'field .status.queues holds a list of 2 items, not a number' }],
  ])('%s', (path, expected) => expect(readField(obj, path)).toEqual(expected));

  it.each(['.data.password', '.data.token', '.status.auth'])('never repeats what %s holds, only its shape', (path) => {
    const result = readField(obj, path);
    expect('error' in result && result.error).toMatch(/holds (a string of \d+ characters|an object with 2 fields), not a number$/);
    const message = JSON.stringify(result);
    for (const secret of [token, obj.data.password, 'admin']) {
      for (let i = 0; i + 6 <= secret.length; i++) expect(message).not.toContain(secret.slice(i, i + 6));
    }
  });
});
