import { connect } from 'node:net';

/**
 * One HTTP/1.1 request written byte for byte on its own TCP connection (Connection: close), so
 * a test can send what no HTTP client library would: bad bytes in the request line and
 * headers, duplicated headers, bodies that are not what their headers say.
 */
export interface RawRequest {
  method: string;
  /** the request target exactly as sent (not encoded or checked) */
  target: string;
  /** name and value pairs in order; a name may repeat; values are latin1 bytes */
  headers: Array<[string, string]>;
  body: Buffer;
  /** sent as `Transfer-Encoding: chunked` in chunks of this many bytes instead of with a Content-Length */
  chunkSize?: number;
}

export interface RawResponse {
  /** 0 when the connection ended without a status line */
  status: number;
  headers: Map<string, string>;
  body: Buffer;
  /** the socket error, if the connection failed (a response may still have been read) */
  error?: string;
}

export function encodeRequest(request: RawRequest, host: string): Buffer {
  const lines = [`${request.method} ${request.target} HTTP/1.1`, `Host: ${host}`, ...request.headers.map(([name, value]) => `${name}: ${value}`)];
  let body = request.body;
  if (request.chunkSize !== undefined) {
    lines.push('Transfer-Encoding: chunked');
    const chunks: Buffer[] = [];
    for (let start = 0; start < body.length; start += request.chunkSize) {
      const chunk = body.subarray(start, start + request.chunkSize);
      chunks.push(Buffer.from(`${chunk.length.toString(16)}\r\n`, 'latin1'), chunk, Buffer.from('\r\n', 'latin1'));
    }
    chunks.push(Buffer.from('0\r\n\r\n', 'latin1'));
    body = Buffer.concat(chunks);
  } else if (request.body.length > 0 || !['GET', 'HEAD'].includes(request.method)) {
    lines.push(`Content-Length: ${request.body.length}`);
  }
  lines.push('Connection: close', '', '');
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), body]);
}

/** Parses what the server wrote before it closed the connection. */
export function parseResponse(raw: Buffer, method: string): Omit<RawResponse, 'error'> {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: new Map(), body: Buffer.alloc(0) };
  const [statusLine = '', ...headerLines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers = new Map<string, string>();
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.subarray(end + 4);
  if (method === 'HEAD') body = Buffer.alloc(0);
  else if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') body = dechunk(body);
  else if (headers.has('content-length')) body = body.subarray(0, Number(headers.get('content-length')));
  return { status, headers, body };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Sends `request` to 127.0.0.1:`port` and reads until the server closes (or `timeoutMs` passes). */
export function sendRaw(port: number, request: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const received: Buffer[] = [];
    let error: string | undefined;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseResponse(Buffer.concat(received), request.method), ...(error !== undefined ? { error } : {}) });
    };
    const timer = setTimeout(() => {
      error = `no end of response within ${timeoutMs} ms`;
      finish();
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    // the server may answer (413, 400...) and close before it read the whole request: EPIPE/ECONNRESET
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', finish);
    socket.on('connect', () => {
      socket.write(encodeRequest(request, `127.0.0.1:${port}`));
    });
  });
}
