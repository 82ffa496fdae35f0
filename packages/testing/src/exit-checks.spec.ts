import { oneLineErrorProblems } from './exit-checks';

describe('oneLineErrorProblems', () => {
  const start = /^app: invalid configuration: /;

  it('accepts one line that starts right and names every mention', () => {
    const output = { stdout: '', stderr: 'app: invalid configuration: PORT must be a port (got "x"), LOG_LEVEL must be one of …\n' };
    expect(oneLineErrorProblems(output, start, ['PORT', 'LOG_LEVEL'])).toEqual([]);
  });

  it('names each way the output is wrong', () => {
    const output = { stdout: 'usage: …\n', stderr: 'Error: boom\n    at main (/app/main.js:3:9)\n' };
    expect(oneLineErrorProblems(output, start, ['PORT'])).toEqual([
      'stdout is not empty: "usage: …\\n"',
      'stderr is not one line: "Error: boom\\n    at main (/app/main.js:3:9)\\n"',
      'the line does not match /^app: invalid configuration: /: "Error: boom"',
      'the line does not mention "PORT": "Error: boom"',
      'stderr holds a stack trace',
    ]);
  });

  it('rejects a line without its final newline and an empty stderr', () => {
    expect(oneLineErrorProblems({ stdout: '', stderr: 'app: invalid configuration: PORT' }, start, [])).toEqual([
      'stderr is not one line: "app: invalid configuration: PORT"',
    ]);
    expect(oneLineErrorProblems({ stdout: '', stderr: '' }, start, [])).toHaveLength(2);
  });
});
