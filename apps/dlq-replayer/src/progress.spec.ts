import { PassThrough } from 'node:stream';
import { terminalProgress } from './progress';

/** A stream that says it is a terminal, as stderr does on an operator's screen. */
function fakeTerminal(): { stream: PassThrough; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 200, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  let written = '';
  stream.on('data', (chunk: Buffer) => {
    written += chunk.toString();
  });
  return { stream, text: () => written };
}

describe('terminalProgress', () => {
  it('draws counts and the replay rate on a terminal', () => {
    const terminal = fakeTerminal();
    const progress = terminalProgress(terminal.stream);
    progress.start(10);
    progress.update({ scanned: 4, replayed: 3, skipped: 1, failed: 0 });
    progress.stop();
    // the bar redraws in place (cursor control sequences); the last drawing is after the last "replaying "
    // eslint-disable-next-line no-control-regex
    const last = terminal.text().replace(/\u001b(\[[0-9;?]*[A-Za-z]|[78])/g, '').split('replaying ').pop();
    expect(last?.trim()).toMatch(/^\[[=-]+\] 4\/10 scanned \| replayed 3 \| skipped 1 \| failed 0 \| \d+\.\d\/s \| \d+s$/);
  });
});
