import { HttpProblem } from './problem';
import { pageQuery } from './messages-routes';
import { encodeCursor } from '@wiber/mongo';

function problemOf(query: Record<string, unknown>): HttpProblem {
  try {
    pageQuery(query as never);
  } catch (error) {
    return error as HttpProblem;
  }
  throw new Error('expected a problem');
}

describe('pageQuery', () => {
  it('defaults to the first 50 by offset', () => {
    expect(pageQuery({})).toEqual({ limit: 50, offset: 0, cursor: undefined });
  });

  it('reads limit, offset and a cursor', () => {
    expect(pageQuery({ limit: '10', offset: '20' })).toEqual({ limit: 10, offset: 20, cursor: undefined });
    const cursor = encodeCursor({ sentAt: 5, messageId: 'm' });
    expect(pageQuery({ cursor })).toEqual({ limit: 50, offset: 0, cursor: { sentAt: 5, messageId: 'm' } });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '201' }, 'limit'],
    [{ limit: '1.5' }, 'limit'],
    [{ offset: '-1' }, 'offset'],
    [{ limit: ['1', '2'] }, 'limit'],
    [{ cursor: 'nonsense' }, 'cursor'],
    [{ cursor: encodeCursor({ sentAt: 1, messageId: 'x' }), offset: '3' }, 'cursor'],
    [{ page: '2' }, 'page'],
  ])('rejects %p naming %s', (query, name) => {
    const problem = problemOf(query);
    expect(problem.status).toBe(400);
    expect(problem.extras.errors?.map((e) => e.pointer)).toContain(name);
  });
});
