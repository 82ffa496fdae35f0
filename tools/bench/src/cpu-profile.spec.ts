import { ownerOf, summarizeProfile, type CpuProfile } from './cpu-profile';

describe('ownerOf', () => {
  it('names npm packages, node internals, repo projects and V8 pseudo-frames', () => {
    expect(ownerOf('file:///r/node_modules/kafkajs/src/producer/index.js', 'send')).toBe('kafkajs');
    expect(ownerOf('file:///r/node_modules/@kafkajs/confluent-schema-registry/x.js', 'f')).toBe('@kafkajs/confluent-schema-registry');
    expect(ownerOf('node:internal/http/server', 'f')).toBe('node:internal');
    expect(ownerOf('file:///r/apps/gateway/src/app.ts', 'f')).toBe('apps/gateway');
    expect(ownerOf('', '(garbage collector)')).toBe('((garbage collector))');
  });
});

describe('summarizeProfile', () => {
  it('adds self time per function and owner, and inclusive time per owner once per sample', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2] },
        { id: 2, callFrame: frame('handle', 'file:///r/node_modules/express/lib/a.js'), children: [3, 4] },
        { id: 3, callFrame: frame('parse', 'file:///r/node_modules/express/lib/b.js') },
        { id: 4, callFrame: frame('encode', 'file:///r/node_modules/avsc/lib/t.js') },
      ],
      samples: [3, 3, 4, 2],
      timeDeltas: [10, 10, 10, 10],
    };
    const summary = summarizeProfile(profile);
    expect(summary.selfByOwner).toEqual([
      { name: 'express', share: 75 },
      { name: 'avsc', share: 25 },
    ]);
    expect(summary.inclusiveByOwner.find((l) => l.name === 'express')?.share).toBe(100);
    expect(summary.inclusiveByOwner.find((l) => l.name === '((root))')?.share).toBe(100);
    expect(summary.selfByFunction[0]).toEqual({ name: 'parse express/lib/b.js:1', share: 50 });
  });
});
