/** The parts of a V8 .cpuprofile (node --cpu-prof) that a summary needs. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  /** share of all samples, in % */
  share: number;
}

/** Where a script belongs: the npm package under node_modules, "node:" internals, the repo path, or a V8 pseudo-frame. */
export function ownerOf(url: string, functionName: string): string {
  if (url === '') return `(${functionName || 'native'})`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  if (url.startsWith('node:')) return url.split('/')[0] ?? url;
  const repo = /\/(apps|packages|tools)\/([^/]+)\//.exec(url);
  return repo === null ? url : `${repo[1]}/${repo[2]}`;
}

/**
 * Self time by function and by owner (package), and inclusive time by owner (a sample
 * counts once for every owner on its stack), each in % of all samples, largest first.
 */
export function summarizeProfile(profile: CpuProfile, top = 25): { selfByFunction: ProfileLine[]; selfByOwner: ProfileLine[]; inclusiveByOwner: ProfileLine[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfFn = new Map<string, number>();
  const selfOwner = new Map<string, number>();
  const inclusiveOwner = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, v: number) => map.set(key, (map.get(key) ?? 0) + v);
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const node = byId.get(id);
    if (node === undefined) return;
    const { functionName, url, lineNumber } = node.callFrame;
    add(selfFn, `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '')}:${lineNumber + 1}`, dt);
    add(selfOwner, ownerOf(url, functionName), dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame !== undefined) seen.add(ownerOf(frame.url, frame.functionName));
    }
    for (const owner of seen) add(inclusiveOwner, owner, dt);
  });
  const lines = (map: Map<string, number>): ProfileLine[] =>
    [...map]
      .map(([name, t]) => ({ name, share: total > 0 ? (t / total) * 100 : 0 }))
      .sort((a, b) => b.share - a.share)
      .slice(0, top);
  return { selfByFunction: lines(selfFn), selfByOwner: lines(selfOwner), inclusiveByOwner: lines(inclusiveOwner) };
}
