import { benchProgram, nameList, wholeList } from './options';

describe('bench options', () => {
  it('parses connection lists', () => {
    expect(wholeList('64')).toEqual([64]);
    expect(wholeList('64, 256')).toEqual([64, 256]);
    expect(() => wholeList('64,x')).toThrow(/whole numbers/);
    expect(() => wholeList('0')).toThrow(/whole numbers/);
  });

  it('has bounded defaults', () => {
    const options = benchProgram().parse(['node', 'bench']).opts();
    expect(options).toMatchObject({
      sizes: [100, 1024, 16_384],
      duration: 5,
      warmup: 2,
      connections: [64, 256],
      variants: ['before', 'default'],
      ingestInstances: [1, 2],
      e2e: true,
      ingest: true,
      e2eRate: 50,
      e2eSeconds: 10,
      out: 'BENCHMARKS.md',
    });
  });

  it('picks sizes and variants', () => {
    const options = benchProgram().parse(['node', 'bench', '--sizes', '100,2048', '--variants', 'unbatched, default']).opts();
    expect(options).toMatchObject({ sizes: [100, 2048], variants: ['unbatched', 'default'] });
    expect(nameList('a,,b')).toEqual(['a', 'b']);
    expect(() => nameList(' , ')).toThrow(/names/);
  });
});
