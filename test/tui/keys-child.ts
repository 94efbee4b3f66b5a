// Child for chunks.test.tsx: the browser under React's production build, as `git session
// tui` runs it (renders are tasks of their own there), on fake terminal streams. Argument
// pairs are <text to wait for> <keys to write in one chunk>; a last lone argument is
// waited for too. Prints the searches made and how the browser ended.
import { mountTui } from '../../src/tui/run.js';
import { FakeIn, FakeOut } from './fake-tty.js';
import { NOW, smallData } from './fixtures.js';

// eslint-disable-next-line no-control-regex
const strip = (s: string) => s.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
const stdout = Object.assign(new FakeOut(), { keep: false });
const stdin = new FakeIn();
const data = smallData();
const tui = mountTui(data, { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, debug: true, now: () => NOW });
let exit: number | undefined;
void tui.exitCode.then((c) => (exit = c));

async function until(text: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!strip(stdout.last).includes(text) && exit === undefined) {
    if (Date.now() > end) throw new Error(`never showed ${JSON.stringify(text)}; last frame:\n${strip(stdout.last)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  // then idle, as a terminal is between a person's keystrokes: nothing left to render
  let writes = -1;
  while (writes !== stdout.writes) {
    writes = stdout.writes;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const steps = process.argv.slice(2);
for (let i = 0; i < steps.length; i += 2) {
  await until(steps[i]);
  if (i + 1 < steps.length) stdin.type(steps[i + 1]);
}
const end = Date.now() + 30_000;
while (exit === undefined && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
process.stdout.write(`${JSON.stringify({ searches: data.calls.search, exit: exit ?? null, frame: strip(stdout.last) })}\n`);
tui.unmount();
