// Child process for run.test.tsx: runs the browser on fake terminal streams that forward
// to the real stdout, and prints the exit code runTui resolves with.
import { runTui } from '../../src/tui/index.js';
import { FakeIn, FakeOut } from './fake-tty.js';
import { NOW, smallData } from './fixtures.js';


const code = await runTui(smallData(), {
  stdout: Object.assign(new FakeOut(), { keep: false, onWrite: (t: string) => process.stdout.write(t) }) as unknown as NodeJS.WriteStream,
  stdin: new FakeIn() as unknown as NodeJS.ReadStream,
  now: () => NOW,
});
process.stdout.write(`\nEXIT ${code}\n`);
