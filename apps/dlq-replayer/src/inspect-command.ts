import type { DeadLetter } from './dead-letter';
import { headerValues, printableBytes } from './dead-letter';
import { scanDlq } from './dlq-scanner';
import { openDlq, selectRanges } from './dlq-session';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import type { Io } from './io';
import type { Settings } from './settings';
import { avroJson, hexDump, type DecodedValue, type ValueDecoder } from './value-decoder';

export interface InspectOptions {
  partition: number;
  offset: string;
  json: boolean;
}

/** Reads exactly one DLQ record (no commit) and prints every header and its value. */
export async function runInspect(settings: Settings, options: InspectOptions, decode: ValueDecoder, io: Io, signal: AbortSignal): Promise<ExitCode> {
  const session = await openDlq(settings);
  try {
    const where = `${options.partition}:${options.offset}`;
    const bound = session.bounds.get(options.partition);
    const offset = BigInt(options.offset);
    if (bound === undefined) selectRanges(session, settings.dlqTopic, 'low', [options.partition]);
    else if (offset < bound.low || offset >= bound.high) {
      const holds = bound.high > bound.low ? `holds offsets ${bound.low}-${bound.high - 1n}` : 'is empty';
      throw new CliError(`${settings.dlqTopic} has no record at ${where} (partition ${options.partition} ${holds})`, EXIT.notFound);
    }
    let found: DeadLetter | undefined;
    const result = await scanDlq({
      kafka: session.kafka,
      settings,
      topic: settings.dlqTopic,
      groupId: session.readerGroupId,
      ranges: new Map([[options.partition, { start: offset, end: offset + 1n }]]),
      seek: true,
      commit: false,
      signal,
      handle: async (letter) => {
        if (letter.offset === options.offset) found = letter;
        return 'passed';
      },
    });
    if (result.stoppedEarly) return EXIT.interrupted;
    if (found === undefined) throw new CliError(`${settings.dlqTopic} has no record at ${where} (removed by retention or compaction)`, EXIT.notFound);
    const value = await decode(found.value);
    io.out(options.json ? inspectJson(found, value, settings.dlqTopic) : inspectText(found, value, settings.dlqTopic));
    return EXIT.ok;
  } finally {
    await session.close();
  }
}

function headerEntries(letter: DeadLetter): Array<[string, string[]]> {
  return Object.keys(letter.headers).map((name) => [name, headerValues(letter.headers, name)]);
}

export function inspectText(letter: DeadLetter, value: DecodedValue, dlqTopic: string): string {
  const lines = [
    `${dlqTopic} ${letter.partition}:${letter.offset}, dead-lettered ${new Date(letter.timestamp).toISOString()}`,
    `key: ${printableBytes(letter.key)}`,
    'headers:',
  ];
  for (const [name, values] of headerEntries(letter)) {
    for (const v of values) {
      if (v.includes('\n')) lines.push(`  ${name}:`, ...v.split('\n').map((line) => `    ${line}`));
      else lines.push(`  ${name}: ${v}`);
    }
  }
  if (value.kind === 'null') lines.push('value: null (tombstone)');
  else if (value.kind === 'avro') {
    lines.push(`value: ${letter.value?.length ?? 0} bytes, Avro, schema id ${value.schemaId} (decoded through the registry):`);
    lines.push(...(avroJson(value.value, 2) ?? 'null').split('\n').map((line) => `  ${line}`));
  } else {
    lines.push(`value: ${letter.value?.length ?? 0} bytes, not decodable (${value.reason}: ${value.detail}), hex:`);
    lines.push(hexDump(letter.value ?? Buffer.alloc(0)));
  }
  return lines.join('\n');
}

export function inspectJson(letter: DeadLetter, value: DecodedValue, dlqTopic: string): string {
  const headers: Record<string, string | string[]> = {};
  for (const [name, values] of headerEntries(letter)) headers[name] = values.length === 1 ? (values[0] ?? '') : values;
  const bytes = letter.value;
  const described =
    value.kind === 'null'
      ? null
      : value.kind === 'avro'
        ? { bytes: bytes?.length ?? 0, encoding: 'avro', schemaId: value.schemaId, decoded: JSON.parse(avroJson(value.value) ?? 'null') as unknown }
        : { bytes: bytes?.length ?? 0, encoding: 'hex', hex: bytes?.toString('hex') ?? '', undecodable: { reason: value.reason, detail: value.detail } };
  return JSON.stringify(
    {
      topic: dlqTopic,
      partition: letter.partition,
      offset: letter.offset,
      deadLetteredAt: new Date(letter.timestamp).toISOString(),
      key: printableBytes(letter.key),
      headers,
      value: described,
    },
    null,
    2,
  );
}
