import { createServer, request } from 'node:http';
import { answerClientErrors, clientErrorResponse } from './client-error';

describe('clientErrorResponse', () => {
  function parse(raw: string): { statusLine: string; headers: string[]; body: Record<string, unknown> } {
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    const [statusLine = '', ...headers] = head.split('\r\n');
    expect(headers).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    return { statusLine, headers, body: JSON.parse(body) as Record<string, unknown> };
  }

  it('is a 400 problem+json that closes the connection for a malformed request', () => {
    const response = parse(clientErrorResponse('HPE_INVALID_HEADER_TOKEN'));
    expect(response.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(response.headers).toEqual(expect.arrayContaining(['Content-Type: application/problem+json', 'Connection: close']));
    expect(response.body).toEqual({
      type: 'urn:wiber:problem:malformed-request',
      title: 'Malformed request',
      status: 400,
      detail: 'the request is not valid HTTP/1.1 (HPE_INVALID_HEADER_TOKEN)',
    });
  });

  it('is a 431 for headers over the size limit and 408 for a request that timed out', () => {
    expect(parse(clientErrorResponse('HPE_HEADER_OVERFLOW')).body).toMatchObject({ status: 431 });
    expect(parse(clientErrorResponse('ERR_HTTP_REQUEST_TIMEOUT')).statusLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(parse(clientErrorResponse(undefined)).body).toMatchObject({ status: 400, detail: 'the request is not valid HTTP/1.1 (parse error)' });
  });
});

describe('answerClientErrors on a real server', () => {
  it('answers an Expect other than 100-continue with a 417 problem+json', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    answerClientErrors(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const answer = await new Promise<{ status?: number; type?: string; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/x', headers: { expect: 'something-else' } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect({ status: answer.status, type: answer.type }).toEqual({ status: 417, type: 'application/problem+json' });
      expect(JSON.parse(answer.body)).toMatchObject({ status: 417, title: 'Expectation failed', instance: '/x' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
