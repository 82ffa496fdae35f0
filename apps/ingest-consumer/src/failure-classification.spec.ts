import { RegistryUnavailableError, UndecodableValueError } from '@wiber/schema';
import { classifyDecodeError, classifyWriteRejection, SystemWideWriteError } from './failure-classification';

describe('classifyDecodeError', () => {
  it.each([
    ['truncated-header', 'permanent'],
    ['bad-magic-byte', 'permanent'],
    ['corrupt-payload', 'permanent'],
    ['unknown-schema-id', 'record-transient'],
  ] as const)('%s is %s', (reason, kind) => {
    const failure = classifyDecodeError(new UndecodableValueError(reason, `because ${reason}`));
    expect(failure).toMatchObject({ kind, reason, errorClass: 'UndecodableValueError', message: `because ${reason}` });
    expect(failure.stack).toContain('UndecodableValueError');
  });

  it('rethrows a registry outage: that is system-wide, never a dead letter', () => {
    expect(() => classifyDecodeError(new RegistryUnavailableError('down'))).toThrow(RegistryUnavailableError);
  });

  it('takes any other error as a permanent decode failure, keeping its class', () => {
    expect(classifyDecodeError(new TypeError('no resolver'))).toMatchObject({ kind: 'permanent', reason: 'decode-failed', errorClass: 'TypeError' });
    expect(classifyDecodeError('a string')).toMatchObject({ kind: 'permanent', reason: 'decode-failed', errorClass: 'Error', message: 'a string' });
  });
});

describe('classifyWriteRejection', () => {
  it('dead-letters a document refused for itself (too large, invalid) at once', () => {
    expect(classifyWriteRejection({ index: 0, code: 10334, message: 'too large' })).toMatchObject({
      kind: 'permanent',
      reason: 'rejected-by-mongo',
      errorClass: 'MongoWriteError',
      message: 'code 10334: too large',
    });
    expect(classifyWriteRejection({ index: 0, code: 121, message: 'Document failed validation' }).kind).toBe('permanent');
  });

  it('retries a write conflict before dead-lettering', () => {
    expect(classifyWriteRejection({ index: 0, code: 112, message: 'WriteConflict' }).kind).toBe('record-transient');
  });

  it.each([10107, 91, 189, 11602, 14031, 13])('throws for code %p, which is about the server: the whole insert is retried', (code) => {
    expect(() => classifyWriteRejection({ index: 3, code, message: 'x' })).toThrow(SystemWideWriteError);
  });
});
