import Ajv, { type ErrorObject } from 'ajv';
import { USER_ID_PATTERN } from '@wiber/schema';
import { openApiDocument } from './openapi';
import type { FieldProblem } from './problem';

export interface SendMessageRequest {
  fromUser: string;
  toUser: string;
  content: string;
  clientMessageId?: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema({ $id: 'openapi', components: openApiDocument.components });
const validateShape = ajv.compile<SendMessageRequest>({ $ref: 'openapi#/components/schemas/SendMessageRequest' });

/** Field problems of a POST /messages body; empty when it is valid. */
export function sendMessageProblems(body: unknown, maxContentBytes: number): FieldProblem[] {
  if (!validateShape(body)) return (validateShape.errors ?? []).map(toFieldProblem);
  const problems: FieldProblem[] = [];
  if (body.fromUser === body.toUser) problems.push({ pointer: '/toUser', detail: 'must differ from fromUser (sending to oneself)' });
  if (body.content.trim().length === 0) problems.push({ pointer: '/content', detail: 'must not be blank' });
  const bytes = Buffer.byteLength(body.content, 'utf8');
  if (bytes > maxContentBytes) {
    problems.push({ pointer: '/content', detail: `is ${bytes} bytes of UTF-8, more than the limit of ${maxContentBytes}` });
  }
  return problems;
}

export function isSendMessageRequest(body: unknown): body is SendMessageRequest {
  return validateShape(body);
}

function toFieldProblem(error: ErrorObject): FieldProblem {
  switch (error.keyword) {
    case 'required':
      return { pointer: `${error.instancePath}/${String(error.params['missingProperty'])}`, detail: 'is required' };
    case 'additionalProperties':
      return { pointer: `${error.instancePath}/${String(error.params['additionalProperty'])}`, detail: 'is not an allowed field' };
    case 'pattern':
      return { pointer: error.instancePath, detail: patternDetail(error.instancePath) };
    case 'minLength':
      return { pointer: error.instancePath, detail: 'must not be empty' };
    case 'type':
      return { pointer: error.instancePath || '/', detail: `must be ${String(error.params['type'])}` };
    default:
      return { pointer: error.instancePath || '/', detail: error.message ?? 'is invalid' };
  }
}

function patternDetail(pointer: string): string {
  return pointer === '/clientMessageId'
    ? 'must be 1 to 128 printable ASCII characters without spaces'
    : 'must be 1 to 64 letters, digits, "_", "." or "-"';
}

/** Path parameters of a conversation read. */
export function userIdProblems(params: Record<string, string>): FieldProblem[] {
  return Object.entries(params)
    .filter(([, value]) => !USER_ID_PATTERN.test(value))
    .map(([name, value]) => ({
      pointer: name,
      detail: `"${value.slice(0, 70)}" is not a valid user id (1 to 64 letters, digits, "_", "." or "-")`,
    }));
}

const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,128}$/;

/** The idempotency key of a send: the Idempotency-Key header or the body's clientMessageId. */
export function idempotencyKeyOf(header: string | undefined, body: SendMessageRequest): string | undefined {
  if (header !== undefined && !IDEMPOTENCY_KEY.test(header)) {
    throw new IdempotencyKeyError('Idempotency-Key header must be 1 to 128 printable ASCII characters without spaces');
  }
  if (header !== undefined && body.clientMessageId !== undefined && header !== body.clientMessageId) {
    throw new IdempotencyKeyError('Idempotency-Key header and clientMessageId differ; send one, or the same value in both');
  }
  return header ?? body.clientMessageId;
}

export class IdempotencyKeyError extends Error {}

