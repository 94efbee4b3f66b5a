// `npm run bench`: runs every benchmark module in turn. Pass names to run a subset,
// e.g. `npm run bench -- store index landing`.
import { section } from './harness.js';

const suites: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  store: () => import('./store.js'),
  bridges: () => import('./bridges.js'),
  redact: () => import('./redact.js'),
  tui: () => import('./tui.js'),
  index: () => import('./index.js'),
  landing: () => import('./landing.js'),
  adoption: () => import('./adoption.js'),
  schema: () => import('./schema.js'),
  exchange: () => import('./exchange.js'),
  cli: () => import('./cli.js'),
  capture: () => import('./capture.js'),
  attest: () => import('./attest.js'),
  archive: () => import('./archive.js'),
  reconcile: () => import('./reconcile.js'),
  perf: () => import('./perf.js'),
  server: () => import('./server.js'),
};

const wanted = process.argv.slice(2);
for (const [name, load] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  section(name);
  const mod = await load();
  await mod.run();
}
