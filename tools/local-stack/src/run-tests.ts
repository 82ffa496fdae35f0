import { spawn } from 'node:child_process';
import { allComponents } from './components';
import { REPO_ROOT, stackPaths } from './paths';
import { down, isRunning, messageOf, up } from './stack';
import { formatCounts, sumJestSummaries } from './test-summary';
import { ensureTestTools } from './test-tools';
import { ensureDesignTopics } from './topic-status';

/**
 * `npm test`: every unit and integration test of every project, against a real local stack.
 * Starts the stack if it is not running and stops it again afterwards (leaves it as found).
 * Extra arguments go to `nx run-many` (e.g. `npm test -- -p kafka`).
 */
async function main(): Promise<number> {
  const paths = stackPaths();
  const components = allComponents();
  const say = (line: string): void => console.log(`[stack] ${line}`);
  const wasRunning = await isRunning(paths, components);
  try {
    await up(paths, components, say, 300_000);
    await ensureDesignTopics();
    await ensureTestTools(say);
    const { code, output } = await runNx(process.argv.slice(2));
    const counts = sumJestSummaries(output);
    // a suite that cannot even load reports no test counts: never let that read as green
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    console.log(formatCounts(counts));
    return code === 0 ? 0 : 1;
  } finally {
    if (!wasRunning) await down(paths, components, say);
  }
}

function runNx(extraArgs: string[]): Promise<{ code: number; output: string }> {
  const args = ['nx', 'run-many', '-t', 'test', '--parallel=1', '--skip-nx-cache', '--output-style=stream', ...extraArgs];
  return new Promise((resolve, reject) => {
    const child = spawn('npx', args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NX_DAEMON: 'false' } });
    let output = '';
    const relay = (target: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      target.write(chunk);
    };
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stderr));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test: ${messageOf(error)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
