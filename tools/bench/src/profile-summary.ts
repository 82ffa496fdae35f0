import { readFileSync } from 'node:fs';
import { summarizeProfile, type CpuProfile, type ProfileLine } from './cpu-profile';

/** Prints where a .cpuprofile spent its time: `tsx tools/bench/src/profile-summary.ts <file> [top]`. */
const [file, top] = process.argv.slice(2);
if (file === undefined || file === '--help') {
  process.stdout.write('usage: tsx tools/bench/src/profile-summary.ts <file.cpuprofile> [top=25]\n');
  process.exit(file === undefined ? 1 : 0);
}
const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(top ?? 25));
const print = (title: string, lines: ProfileLine[]) =>
  process.stdout.write(`\n${title}\n${lines.map((l) => `${l.share.toFixed(1).padStart(6)} %  ${l.name}`).join('\n')}\n`);
print('self time by owner', summary.selfByOwner);
print('inclusive time by owner (on the stack)', summary.inclusiveByOwner);
print('self time by function', summary.selfByFunction);
