import { InvalidArgumentError } from 'commander';
import type { DeadLetter } from './dead-letter';
import { toDeadLetter } from './dead-letter';
import { matches, parseCoordinates, parseList, parsePartitions, parsePositiveInt, parseRate, parseTime } from './filters';

function letter(overrides: { partition?: number; timestamp?: number; headers?: Record<string, string> } = {}): DeadLetter {
  return toDeadLetter(overrides.partition ?? 0, {
    key: null,
    value: null,
    timestamp: String(overrides.timestamp ?? 1_000),
    attributes: 0,
    offset: '5',
    headers: { 'wiber.dlq.error.class': 'UndecodableValueError', 'wiber.dlq.reason': 'bad-magic-byte', ...overrides.headers },
  });
}

describe('matches', () => {
  it('matches everything without filters', () => {
    expect(matches(letter(), {})).toBe(true);
  });

  it('needs every given filter to match', () => {
    expect(matches(letter(), { errorClasses: ['ValidationError', 'UndecodableValueError'] })).toBe(true);
    expect(matches(letter(), { errorClasses: ['ValidationError'] })).toBe(false);
    expect(matches(letter(), { reasons: ['bad-magic-byte'], partitions: [0] })).toBe(true);
    expect(matches(letter(), { reasons: ['bad-magic-byte'], partitions: [1] })).toBe(false);
    expect(matches(letter({ headers: {} }), { errorClasses: ['UndecodableValueError'] })).toBe(true);
    expect(matches(toDeadLetter(0, { key: null, value: null, timestamp: '1', attributes: 0, offset: '0', headers: {} }), { reasons: ['bad-magic-byte'] })).toBe(false);
  });

  it('takes since as inclusive and until as exclusive, on the time dead-lettered', () => {
    expect(matches(letter({ timestamp: 1_000 }), { since: 1_000, until: 1_001 })).toBe(true);
    expect(matches(letter({ timestamp: 999 }), { since: 1_000 })).toBe(false);
    expect(matches(letter({ timestamp: 1_001 }), { until: 1_001 })).toBe(false);
  });
});

describe('option parsers', () => {
  const now = Date.parse('2025-11-23T12:00:00Z');

  it('reads times as ISO-8601 or a duration ago', () => {
    expect(parseTime('2025-11-23T10:00:00Z', now)).toBe(Date.parse('2025-11-23T10:00:00Z'));
    expect(parseTime('2025-11-23', now)).toBe(Date.parse('2025-11-23'));
    expect(parseTime('2025-11-23T10:00:00.500+02:00', now)).toBe(Date.parse('2025-11-23T08:00:00.500Z'));
    expect(parseTime('90s', now)).toBe(now - 90_000);
    expect(parseTime('30m', now)).toBe(now - 1_800_000);
    expect(parseTime('2h', now)).toBe(now - 7_200_000);
    expect(parseTime('7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseTime('1w', now)).toBe(now - 7 * 86_400_000);
    for (const bad of ['yesterday', '2h30m', '-1h', '2025-13-45', '1700000000']) expect(() => parseTime(bad, now)).toThrow(InvalidArgumentError);
  });

  it('reads lists, partitions, counts, rates and coordinates, rejecting anything else', () => {
    expect(parseList(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(() => parseList(' , ')).toThrow(InvalidArgumentError);
    expect(parsePartitions('0,2')).toEqual([0, 2]);
    expect(() => parsePartitions('1,x')).toThrow('"x" is not a partition number');
    expect(parsePositiveInt('25')).toBe(25);
    for (const bad of ['0', '-1', '2.5', 'ten']) expect(() => parsePositiveInt(bad)).toThrow(InvalidArgumentError);
    expect(parseRate('50')).toBe(50);
    expect(parseRate('0.5')).toBe(0.5);
    expect(parseRate('10/s')).toBe(10);
    for (const bad of ['0', 'fast', '-3', '1e3']) expect(() => parseRate(bad)).toThrow(InvalidArgumentError);
    expect(parseCoordinates('1:42')).toEqual({ partition: 1, offset: '42' });
    expect(parseCoordinates('0:0012')).toEqual({ partition: 0, offset: '12' });
    for (const bad of ['1', '1:', ':4', '1:-4', 'a:b']) expect(() => parseCoordinates(bad)).toThrow(InvalidArgumentError);
  });
});
