import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { allComponents } from './components';
import { logFile, stackPaths } from './paths';
import { down, messageOf, processStatus, reset, StackError, up } from './stack';
import { designTopicPartitions, ensureDesignTopics, formatPartitions } from './topic-status';

const paths = stackPaths();
const say = (line: string): void => console.log(line);

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of seconds >= 1');
  return n;
}

const program = new Command('stack')
  .description('Run Wiber\'s local stack (3-broker Kafka, Schema Registry, Mongo, Prometheus) on 127.0.0.1, no Docker needed.')
  .showHelpAfterError('(run with --help for usage)');

program
  .command('up')
  .description('install (cached), start and wait until every component is healthy; idempotent')
  .option('--timeout <seconds>', 'how long to wait for health', seconds, 300)
  .action(async (options: { timeout: number }) => {
    const started = Date.now();
    await up(paths, allComponents(), say, options.timeout * 1000);
    const created = await ensureDesignTopics();
    if (created.length > 0) say(`topics created: ${created.join(', ')}`);
    say(`stack is up in ${((Date.now() - started) / 1000).toFixed(1)} s — data and logs in ${paths.root}`);
  });

program
  .command('down')
  .description('stop exactly the processes `up` started (by pid)')
  .action(async () => {
    await down(paths, allComponents(), say);
    say('stack is down');
  });

program
  .command('status')
  .description('show each component and, for every design topic partition, its leader and in-sync replicas')
  .action(async () => {
    let allUp = true;
    for (const component of allComponents()) {
      const processes = await processStatus(paths, component);
      const running = processes.every((p) => p.pid !== undefined);
      allUp &&= running;
      say(`${component.name}: ${processes.map((p) => `${p.name} ${p.pid === undefined ? 'stopped' : `running (pid ${p.pid})`}`).join(', ')}`);
      if (running) {
        const lines = await component.describe(paths).catch((error: unknown) => [`not answering: ${messageOf(error)}`]);
        for (const line of lines) say(`  ${line}`);
      }
    }
    if (allUp) {
      say('');
      for (const line of formatPartitions(await designTopicPartitions())) say(line);
    } else {
      process.exitCode = 3;
    }
  });

program
  .command('logs')
  .description('print the last lines of a component\'s logs (all components when none is named)')
  .argument('[component]', 'component or process name, e.g. kafka, kafka-2, registry, mongo, prometheus')
  .option('-n, --lines <n>', 'lines per log', seconds, 50)
  .option('-f, --follow', 'keep printing new lines')
  .action(async (name: string | undefined, options: { lines: number; follow?: boolean }) => {
    const processes = allComponents()
      .filter((c) => name === undefined || c.name === name || c.processes(paths).some((p) => p.name === name))
      .flatMap((c) => c.processes(paths))
      .filter((p) => name === undefined || p.name === name || !allComponents().some((c) => c.processes(paths).some((q) => q.name === name)));
    if (processes.length === 0) {
      const names = allComponents().flatMap((c) => [c.name, ...c.processes(paths).map((p) => p.name)]);
      throw new StackError(`unknown component "${name}"; one of: ${[...new Set(names)].join(', ')}`);
    }
    const files = processes.map((p) => logFile(paths, p.name)).filter((file) => existsSync(file));
    if (files.length === 0) throw new StackError(`no logs yet under ${paths.logs}: run \`npm run stack -- up\` first`);
    const args = ['-n', String(options.lines), ...(options.follow ? ['-F'] : []), ...files];
    await new Promise<void>((resolve) => spawn('tail', args, { stdio: 'inherit' }).on('exit', () => resolve()));
  });

program
  .command('reset')
  .description('stop everything and delete data and logs (downloads stay cached)')
  .action(async () => {
    await reset(paths, allComponents(), say);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`stack: ${messageOf(error)}`);
  process.exit(1);
});
