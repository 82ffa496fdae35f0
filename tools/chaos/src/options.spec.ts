import { chaosProgram, reproduceCommand, selectScenarios } from './options';
import { SCENARIO_NAMES } from './scenarios';

describe('options', () => {
  it('runs every scenario by default, or the ones named, once each', () => {
    expect(selectScenarios([])).toEqual([...SCENARIO_NAMES]);
    expect(selectScenarios(['mongo-stop', 'broker-kill', 'mongo-stop'])).toEqual(['mongo-stop', 'broker-kill']);
    expect(() => selectScenarios(['nope'])).toThrow('unknown scenario nope');
  });

  it('gives the command that reproduces one scenario', () => {
    expect(reproduceCommand('broker-kill', 25, 25)).toBe('npm run chaos -- broker-kill');
    expect(reproduceCommand('broker-kill', 10, 25)).toBe('npm run chaos -- broker-kill --rate 10');
  });

  it('parses --rate and --no-write', () => {
    const program = chaosProgram(25).exitOverride();
    program.parse(['node', 'chaos', 'leader-kill', '--rate', '12', '--no-write']);
    expect(program.opts()).toEqual({ rate: 12, out: 'RELIABILITY.md', write: false });
    expect(program.args).toEqual(['leader-kill']);
  });
});
