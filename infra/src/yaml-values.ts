/** Narrowing helpers for parsed YAML/JSON (which is `unknown` until checked). */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown, where: string): JsonRecord {
  if (!isRecord(value)) throw new Error(`${where}: expected a mapping, got ${JSON.stringify(value)}`);
  return value;
}

export function asArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list, got ${JSON.stringify(value)}`);
  return value;
}

export function asString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

/** A scalar as compose/YAML would hand it to a container: numbers and booleans as text. */
export function asScalarText(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return '';
  throw new Error(`${where}: expected a scalar, got ${JSON.stringify(value)}`);
}

export function optionalRecord(value: unknown, where: string): JsonRecord | undefined {
  return value === undefined ? undefined : asRecord(value, where);
}

export function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  return asArray(value, where).map((item, index) => asScalarText(item, `${where}[${index}]`));
}
