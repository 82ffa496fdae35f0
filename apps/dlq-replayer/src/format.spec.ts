import { summarize, toDeadLetter } from './dead-letter';
import { inspectJson, inspectText } from './inspect-command';
import { formatDeadLetterTable } from './list-format';
import { ellipsize, formatTable } from './table';
import { avroJson, hexDump } from './value-decoder';

const letter = toDeadLetter(0, {
  key: Buffer.from('alice:bob'),
  value: Buffer.from('0001020304', 'hex'),
  timestamp: '1763870400000',
  attributes: 0,
  offset: '3',
  headers: {
    'x-correlation-id': Buffer.from('req-1'),
    'wiber.dlq.topic': Buffer.from('wiber.messages'),
    'wiber.dlq.partition': Buffer.from('5'),
    'wiber.dlq.offset': Buffer.from('99'),
    'wiber.dlq.reason': Buffer.from('corrupt-payload'),
    'wiber.dlq.error.class': Buffer.from('UndecodableValueError'),
    'wiber.dlq.error.message': Buffer.from(`Avro body does not decode: ${'x'.repeat(100)}`),
    'wiber.dlq.error.stack': Buffer.from('UndecodableValueError: boom\n    at decode (codec.ts:1:1)'),
    'wiber.dlq.attempts': Buffer.from('1'),
  },
});

describe('formatTable', () => {
  it('aligns columns and does not pad the last one', () => {
    expect(formatTable(['A', 'BB', 'C'], [['xxx', 'y', 'zz'], ['', 'yyyy', '']])).toBe('A    BB    C\nxxx  y     zz\n     yyyy');
  });

  it('ellipsizes to one line of at most n characters', () => {
    expect(ellipsize('a\nb   c', 10)).toBe('a b c');
    expect(ellipsize('abcdefghij', 5)).toBe('abcd…');
  });
});

describe('formatDeadLetterTable', () => {
  it('shows DLQ and source coordinates, reason, class, attempts, key and a shortened error', () => {
    const [heading, row] = formatDeadLetterTable([summarize(letter)]).split('\n');
    expect(heading).toMatch(/^DLQ +DEAD-LETTERED +SOURCE +REASON +ERROR CLASS +ATTEMPTS +KEY +ERROR$/);
    expect(row?.split(/ {2,}/)).toEqual(['0:3', '2025-11-23T04:00:00Z', 'wiber.messages 5:99', 'corrupt-payload', 'UndecodableValueError', '1', 'alice:bob', `Avro body does not decode: ${'x'.repeat(32)}…`]);
  });
});

describe('inspect output', () => {
  it('prints every header, a multi-line stack indented, and an undecodable value as a hex dump', () => {
    const text = inspectText(letter, { kind: 'undecodable', reason: 'corrupt-payload', detail: 'truncated' }, 'wiber.messages.dlq');
    expect(text.split('\n')).toEqual([
      'wiber.messages.dlq 0:3, dead-lettered 2025-11-23T04:00:00.000Z',
      'key: alice:bob',
      'headers:',
      '  x-correlation-id: req-1',
      '  wiber.dlq.topic: wiber.messages',
      '  wiber.dlq.partition: 5',
      '  wiber.dlq.offset: 99',
      '  wiber.dlq.reason: corrupt-payload',
      '  wiber.dlq.error.class: UndecodableValueError',
      `  wiber.dlq.error.message: Avro body does not decode: ${'x'.repeat(100)}`,
      '  wiber.dlq.error.stack:',
      '    UndecodableValueError: boom',
      '        at decode (codec.ts:1:1)',
      '  wiber.dlq.attempts: 1',
      'value: 5 bytes, not decodable (corrupt-payload: truncated), hex:',
      `  00000000  00 01 02 03 04${' '.repeat(33)}  .....`,
    ]);
  });

  it('prints a decoded value as JSON, and the same as --json', () => {
    const decoded = { kind: 'avro' as const, schemaId: 7, value: { content: 'hi', blob: Buffer.from([1, 2]) } };
    expect(inspectText(letter, decoded, 'dlq').split('\n').slice(-5)).toEqual([
      'value: 5 bytes, Avro, schema id 7 (decoded through the registry):',
      '  {',
      '    "content": "hi",',
      '    "blob": "hex:0102"',
      '  }',
    ]);
    expect(JSON.parse(inspectJson(letter, decoded, 'dlq'))).toMatchObject({
      topic: 'dlq',
      partition: 0,
      offset: '3',
      headers: { 'wiber.dlq.attempts': '1' },
      value: { bytes: 5, encoding: 'avro', schemaId: 7, decoded: { content: 'hi', blob: 'hex:0102' } },
    });
  });
});

describe('hexDump and avroJson', () => {
  it('dumps 16 bytes a line with offsets and printable ASCII', () => {
    const dump = hexDump(Buffer.from('Hello, dead letters!'), '');
    expect(dump.split('\n')).toEqual([
      '00000000  48 65 6c 6c 6f 2c 20 64 65 61 64 20 6c 65 74 74  Hello, dead lett',
      `00000010  65 72 73 21${' '.repeat(36)}  ers!`,
    ]);
  });

  it('writes bigints as strings', () => {
    expect(avroJson({ n: 2n ** 70n })).toBe('{"n":"1180591620717411303424"}');
  });
});
