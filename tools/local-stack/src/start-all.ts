import { allComponents } from './components';
import { PROMETHEUS_URL } from './components/prometheus';
import { REGISTRY_URL } from './components/registry';
import { stackPaths } from './paths';
import { messageOf, up } from './stack';
import { ensureDesignTopics } from './topic-status';

/** `npm start`: the local stack, then whatever apps exist. */
async function main(): Promise<void> {
  const paths = stackPaths();
  const say = (line: string): void => console.log(line);
  await up(paths, allComponents(), say, 300_000);
  await ensureDesignTopics();
  say('');
  say('Wiber local stack is running:');
  say('  Kafka brokers     127.0.0.1:9092, 127.0.0.1:9093, 127.0.0.1:9094');
  say(`  Schema Registry   ${REGISTRY_URL}`);
  say('  MongoDB           mongodb://127.0.0.1:27017');
  say(`  Prometheus        ${PROMETHEUS_URL}`);
  say('No apps exist yet. Stop the stack with: npm run stack -- down');
}

main().catch((error: unknown) => {
  console.error(`start: ${messageOf(error)}`);
  process.exit(1);
});
