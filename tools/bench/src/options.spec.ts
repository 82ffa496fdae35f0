import { benchProgram, wholeList } from './options';

describe('bench options', () => {
  it('parses connection lists', () => {
    expect(wholeList('64')).toEqual([64]);
    expect(wholeList('64, 256')).toEqual([64, 256]);
    expect(() => wholeList('64,x')).toThrow(/whole numbers/);
    expect(() => wholeList('0')).toThrow(/whole numbers/);
  });

  it('has bounded defaults', () => {
    const options = benchProgram().parse(['node', 'bench']).opts();
    expect(options).toMatchObject({ duration: 10, connections: [64, 256], e2e: true, ingest: true, e2eRate: 50, e2eSeconds: 20, out: 'BENCHMARKS.md' });
  });
});
