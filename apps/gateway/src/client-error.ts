import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Problem } from './problem';

/** Node's parser errors that have a more precise status than 400. */
const STATUS_OF_CODE: Record<string, { status: number; title: string; reason: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, title: 'Request header fields too large', reason: 'Request Header Fields Too Large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, title: 'Request timeout', reason: 'Request Timeout' },
};

/**
 * The raw HTTP/1.1 response for a request Node's parser rejected before Express saw it (bad
 * bytes in the request line or a header, an invalid header name, a bad chunk, headers over the
 * size limit...): problem+json like every other client error, instead of Node's bare 400.
 */
export function clientErrorResponse(code: string | undefined): string {
  const known = code === undefined ? undefined : STATUS_OF_CODE[code];
  const { status, title, reason } = known ?? { status: 400, title: 'Malformed request', reason: 'Bad Request' };
  const problem: Problem = {
    type: `urn:wiber:problem:${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    title,
    status,
    detail: `the request is not valid HTTP/1.1 (${code ?? 'parse error'})`,
  };
  const body = JSON.stringify(problem);
  return (
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/**
 * Answers what Node's HTTP server would otherwise answer itself, bare, before Express sees the
 * request: parser errors (see clientErrorResponse, then the connection is closed) and an
 * `Expect` header other than 100-continue (417).
 */
export function answerClientErrors(server: Server): void {
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const problem: Problem = {
      type: 'urn:wiber:problem:expectation-failed',
      title: 'Expectation failed',
      status: 417,
      detail: 'the only expectation supported is Expect: 100-continue',
      instance: (req.url ?? '').slice(0, 300),
    };
    res.writeHead(417, { 'Content-Type': 'application/problem+json', Connection: 'close' }).end(JSON.stringify(problem));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // a response already under way on this connection cannot be followed by another one
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error.code));
  });
}
