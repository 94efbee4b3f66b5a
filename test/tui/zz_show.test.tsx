import { test } from 'vitest';
import { App } from '../../src/tui/App.js';
import { smallData, NOW } from './fixtures.js';
import { renderAt, KEY, tick } from './render.js';
test('show', async () => {
  const d = smallData();
  const r = renderAt(<App data={d} now={() => NOW} />, 80, 24);
  await r.until('Goal number 3');
  await tick(100);
  await r.press('j');
  await tick(100);
  console.log(r.frame().split('\n').slice(0,4).join('\n'));
  await r.press('j');
  await tick(100);
  console.log(r.frame().split('\n').slice(0,5).join('\n'));
  r.unmount();
});
