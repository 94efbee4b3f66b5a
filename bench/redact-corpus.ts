// A generated evaluation corpus for the redactor, built the way public secret scanners
// test their rules: every rule family's secrets (fresh random values in the family's
// real format) embedded in ~45 code and config contexts, plus false positives
// (placeholders, public-by-design formats, over-reach, ids and hashes, ordinary code).
// `evaluate` reports recall (the secret is gone from the output) and the false-alarm
// rate (a benign text was changed) per family and overall. Deterministic: a seeded PRNG.
import { FALSE_POSITIVES } from './redact-corpus-fp.js';
import { CONTEXTS, BARE_CONTEXTS, type Context } from './redact-contexts.js';

/** One seeded secret in one context. */
export interface TrueCase {
  family: string;
  context: string;
  text: string;
  secret: string;
}

/** One benign text that must come out unchanged. */
export interface FalseCase {
  family: string;
  context: string;
  text: string;
}

const UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOW = 'abcdefghijklmnopqrstuvwxyz';
const DIG = '0123456789';
const ALNUM = UP + LOW + DIG;
const HEX = '0123456789abcdef';
const B64URL = ALNUM + '_-';
const B64 = ALNUM + '+/';

/** A small seeded PRNG (mulberry32): the corpus is the same on every run. */
export class Rng {
  constructor(private seed: number) {}
  next(): number {
    let t = (this.seed = (this.seed + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** `n` characters drawn from `alphabet`. */
  str(n: number, alphabet = ALNUM): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

/** A family of secrets: how to make one, what code calls it, whether it has a format of its own. */
export interface Family {
  name: string;
  /** Stem used to name variables: `snyk` -> `SNYK_TOKEN`, `snykApiKey`... */
  stem: string;
  make(r: Rng): string;
  /** Recognisable without a name (a prefix or structure): also tried in bare contexts. */
  standalone: boolean;
  /** Explicit variable names (default: built from the stem). */
  names?: string[];
}

const f = (name: string, stem: string, make: (r: Rng) => string, standalone = true, names?: string[]): Family => ({ name, stem, make, standalone, names });
const mixed = (r: Rng, n: number): string => {
  // Random alnum that certainly mixes upper, lower and digit (as real keys do).
  const s = r.str(n - 3);
  return r.str(1, UP) + s.slice(0, n >> 1) + r.str(1, DIG) + s.slice(n >> 1) + r.str(1, LOW);
};
const pem = (r: Rng, label: string): string => {
  const body = r.str(64 * 6 + 20, B64).match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;
};
const b64 = (r: Rng, bytes: number): string => {
  const s = r.str(Math.ceil(bytes / 3) * 4, B64);
  return s.slice(0, -2) + '==';
};

/** Every family the corpus seeds, prefixed formats first, then keyword-only ones. */
export const FAMILIES: Family[] = [
  f('aws-access-key', 'aws_access_key_id', (r) => r.pick(['AKIA', 'ASIA']) + r.str(16, UP + '234567')),
  f('aws-secret-key', 'aws_secret_access_key', (r) => r.str(40, B64), false, ['AWS_SECRET_ACCESS_KEY', 'aws_secret_access_key', 'awsSecretAccessKey']),
  f('aws-bedrock-key', 'bedrock', (r) => 'ABSKQmVkcm9ja0FQSUtleS1' + r.str(110, B64) + '='),
  f('github-token', 'github', (r) => r.pick(['ghp_', 'gho_', 'ghs_', 'ghu_', 'ghr_']) + r.str(36)),
  f('github-fine-grained', 'github', (r) => 'github_pat_11' + r.str(20, UP + DIG) + '_' + r.str(59)),
  f('gitlab-token', 'gitlab', (r) => r.pick(['glpat-', 'gldt-', 'glrt-', 'glft-', 'glsoat-', 'glffct-']) + r.str(20, B64URL)),
  f('gitlab-other', 'gitlab', (r) => r.pick([() => 'glptt-' + r.str(40, HEX), () => 'GR1348941' + r.str(20, B64URL), () => 'glimt-' + r.str(25, B64URL), () => 'glcbt-' + r.str(2) + '_' + r.str(20, B64URL), () => 'glagent-' + r.str(50, B64URL)])()),
  f('slack-token', 'slack', (r) => r.pick(['xoxb-', 'xoxp-', 'xoxa-2-', 'xoxr-']) + r.str(12, DIG) + '-' + r.str(12, DIG) + '-' + r.str(24)),
  f('slack-app-token', 'slack_app', (r) => 'xapp-1-A' + r.str(10, UP + DIG) + '-' + r.str(13, DIG) + '-' + r.str(64, HEX)),
  f('slack-webhook', 'slack_webhook', (r) => `https://hooks.slack.com/services/T${r.str(8, UP + DIG)}/B${r.str(10, UP + DIG)}/${r.str(24)}`),
  f('discord-webhook', 'discord_webhook', (r) => `https://discord.com/api/webhooks/${r.str(18, DIG)}/${r.str(68, B64URL)}`),
  f('anthropic-key', 'anthropic', (r) => r.pick(['sk-ant-api03-', 'sk-ant-admin01-']) + r.str(93, B64URL) + 'AA'),
  f('openai-key', 'openai', (r) => r.pick([() => 'sk-proj-' + r.str(74, B64URL) + 'T3BlbkFJ' + r.str(74, B64URL), () => 'sk-' + mixed(r, 20) + 'T3BlbkFJ' + mixed(r, 20), () => 'sk-' + mixed(r, 48), () => 'sk-svcacct-' + r.str(58, B64URL) + 'T3BlbkFJ' + r.str(58, B64URL)])()),
  f('stripe-key', 'stripe', (r) => r.pick(['sk_live_', 'sk_test_', 'rk_live_']) + r.str(24 + Math.floor(r.next() * 75))),
  f('stripe-webhook', 'stripe_webhook', (r) => 'whsec_' + r.str(32)),
  f('google-api-key', 'google', (r) => 'AIza' + r.str(35, B64URL)),
  f('google-oauth', 'google_client', (r) => r.pick([() => 'GOCSPX-' + r.str(28, B64URL), () => 'ya29.a0' + r.str(150, B64URL)])()),
  f('npm-token', 'npm', (r) => 'npm_' + r.str(36)),
  f('pypi-token', 'pypi', (r) => 'pypi-AgEIcHlwaS5vcmc' + r.str(140, B64URL)),
  f('huggingface-token', 'huggingface', (r) => r.pick(['hf_', 'api_org_']) + r.str(34, UP + LOW)),
  f('shopify-token', 'shopify', (r) => r.pick(['shpat_', 'shpca_', 'shppa_', 'shpss_']) + r.str(32, HEX)),
  f('linear-key', 'linear', (r) => 'lin_api_' + r.str(40)),
  f('onepassword-token', 'op_service_account', (r) => r.pick([() => 'ops_eyJ' + r.str(250, B64), () => `A3-${r.str(6, UP + DIG)}-${r.str(11, UP + DIG)}-${r.str(5, UP + DIG)}-${r.str(5, UP + DIG)}-${r.str(5, UP + DIG)}`])()),
  f('digitalocean-token', 'digitalocean', (r) => r.pick(['dop_v1_', 'doo_v1_', 'dor_v1_']) + r.str(64, HEX)),
  f('sendgrid-key', 'sendgrid', (r) => 'SG.' + r.str(22, B64URL) + '.' + r.str(43, B64URL)),
  f('twilio-key', 'twilio', (r) => 'SK' + r.str(32, HEX)),
  f('databricks-token', 'databricks', (r) => 'dapi' + r.str(32, HEX)),
  f('doppler-token', 'doppler', (r) => r.pick(['dp.pt.', 'dp.st.', 'dp.sa.']) + r.str(43)),
  f('dynatrace-token', 'dynatrace', (r) => 'dt0c01.' + r.str(24, UP + DIG) + '.' + r.str(64, UP + DIG)),
  f('atlassian-token', 'atlassian', (r) => 'ATATT3' + r.str(186, B64URL)),
  f('age-key', 'age', (r) => 'AGE-SECRET-KEY-1' + r.str(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')),
  f('alibaba-key', 'alibaba', (r) => 'LTAI' + mixed(r, 20)),
  f('artifactory-token', 'artifactory', (r) => r.pick([() => 'AKCp' + r.str(69), () => 'cmVmd' + r.str(59)])()),
  f('clojars-token', 'clojars', (r) => 'CLOJARS_' + r.str(60, LOW + DIG)),
  f('heroku-key', 'heroku', (r) => 'HRKU-AA' + r.str(58, B64URL)),
  f('openshift-token', 'openshift', (r) => 'sha256~' + r.str(43, B64URL)),
  f('octopus-key', 'octopus', (r) => 'API-' + r.str(13, UP) + r.str(13, DIG)),
  f('newrelic-key', 'newrelic', (r) => 'NRAK-' + r.str(27, UP + DIG)),
  f('notion-token', 'notion', (r) => 'ntn_' + r.str(11, DIG) + r.str(35)),
  f('postman-key', 'postman', (r) => 'PMAK-' + r.str(24, HEX) + '-' + r.str(34, HEX)),
  f('pulumi-token', 'pulumi', (r) => 'pul-' + r.str(40, HEX)),
  f('prefect-token', 'prefect', (r) => 'pnu_' + r.str(36)),
  f('readme-token', 'readme', (r) => 'rdme_' + r.str(70, LOW + DIG)),
  f('rubygems-token', 'rubygems', (r) => 'rubygems_' + r.str(48, HEX)),
  f('planetscale-token', 'planetscale', (r) => r.pick(['pscale_tkn_', 'pscale_pw_', 'pscale_oauth_']) + r.str(43, B64URL)),
  f('sentry-token', 'sentry', (r) => 'sntryu_' + r.str(64, HEX)),
  f('grafana-token', 'grafana', (r) => r.pick([() => 'glc_' + r.str(80, B64) + '==', () => 'glsa_' + r.str(32) + '_' + r.str(8, HEX), () => 'eyJrIjoi' + r.str(80)])()),
  f('flyio-token', 'fly', (r) => r.pick([() => 'fo1_' + r.str(43, B64URL), () => 'fm2_' + r.str(220, B64)])()),
  f('perplexity-key', 'perplexity', (r) => 'pplx-' + r.str(48)),
  f('groq-key', 'groq', (r) => 'gsk_' + r.str(52)),
  f('xai-key', 'xai', (r) => 'xai-' + r.str(80)),
  f('easypost-key', 'easypost', (r) => r.pick(['EZAK', 'EZTK']) + r.str(54)),
  f('frameio-token', 'frameio', (r) => 'fio-u-' + r.str(64, B64URL)),
  f('duffel-token', 'duffel', (r) => r.pick(['duffel_test_', 'duffel_live_']) + r.str(43, B64URL)),
  f('infracost-token', 'infracost', (r) => 'ico-' + r.str(32)),
  f('scalingo-token', 'scalingo', (r) => 'tk-us-' + r.str(48, B64URL)),
  f('sendinblue-key', 'sendinblue', (r) => 'xkeysib-' + r.str(64, HEX) + '-' + r.str(16)),
  f('shippo-token', 'shippo', (r) => r.pick(['shippo_live_', 'shippo_test_']) + r.str(40, HEX)),
  f('square-token', 'square', (r) => r.pick([() => 'sq0atp-' + r.str(22, B64URL), () => 'sq0csp-' + r.str(43, B64URL), () => 'EAAA' + r.str(60, B64URL)])()),
  f('facebook-token', 'facebook', (r) => 'EAAC' + r.str(160)),
  f('mapbox-token', 'mapbox', (r) => 'sk.eyJ1Ijoi' + r.str(70, B64URL) + '.' + r.str(22, B64URL)),
  f('adobe-secret', 'adobe', (r) => 'p8e-' + r.str(32)),
  f('cloudflare-origin-ca', 'cloudflare', (r) => 'v1.0-' + r.str(24, HEX) + '-' + r.str(146, HEX)),
  f('vault-token', 'vault', (r) => r.pick([() => 'hvs.' + r.str(95, B64URL), () => 'hvb.' + r.str(140, B64URL), () => 's.' + mixed(r, 24)])()),
  f('airtable-token', 'airtable', (r) => 'pat' + r.str(14) + '.' + r.str(64, HEX)),
  f('harness-token', 'harness', (r) => r.pick(['pat.', 'sat.']) + r.str(22, B64URL) + '.' + r.str(24) + '.' + r.str(20)),
  f('twitter-bearer', 'twitter_bearer', (r) => 'AAAAAAAAAAAAAAAAAAAAA' + r.str(92)),
  f('dropbox-token', 'dropbox', (r) => 'sl.' + r.str(136, B64URL)),
  f('intra42-secret', 'intra42', (r) => r.pick(['s-s4t2ud-', 's-s4t2af-']) + r.str(64, HEX)),
  f('yandex-key', 'yandex', (r) => 'AQVN' + r.str(36, B64URL)),
  f('mailgun-key', 'mailgun', (r) => 'key-' + r.str(32, HEX)),
  f('langsmith-key', 'langsmith', (r) => r.pick(['lsv2_pt_', 'lsv2_sk_']) + r.str(32, HEX) + '_' + r.str(10, HEX)),
  f('replicate-token', 'replicate', (r) => 'r8_' + r.str(37)),
  f('netlify-token', 'netlify', (r) => 'nfp_' + r.str(36)),
  f('supabase-token', 'supabase', (r) => 'sbp_' + r.str(40, HEX)),
  f('docker-token', 'dockerhub', (r) => 'dckr_pat_' + r.str(27, B64URL)),
  f('figma-token', 'figma', (r) => 'figd_' + r.str(40, B64URL)),
  f('tailscale-key', 'tailscale', (r) => 'tskey-auth-' + r.str(12) + 'CNTRL-' + r.str(32)),
  f('buildkite-token', 'buildkite', (r) => 'bkua_' + r.str(40, HEX)),
  f('azure-client-secret', 'azure_client', (r) => r.str(3) + r.str(1, DIG) + 'Q~' + r.str(34, ALNUM + '_~.-').replace(/[-~.]$/, 'x')),
  f('terraform-token', 'tfe', (r) => r.str(14) + '.atlasv1.' + r.str(67, B64URL)),
  f('telegram-token', 'telegram_bot', (r) => r.str(10, DIG) + ':AA' + r.str(33, B64URL)),
  f('jwt', 'id_token', (r) => r.pick(['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.', 'eyJhbGciOiJSUzI1NiJ9.', 'eyJhbGciOiJub25lIn0.']) + 'eyJ' + r.str(60, B64URL) + '.' + r.str(43, B64URL)),
  f('jwt-unsigned', 'id_token', (r) => 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ' + r.str(50, B64URL) + '.'),
  // Keyword-only families: no format of their own, found through their name.
  f('password', 'password', (r) => r.str(4, LOW) + r.str(2, DIG) + r.pick(['!', '#', '%', '&', '*', '-', '_']) + r.str(5, UP + LOW), false, ['password', 'DB_PASSWORD', 'dbPassword', 'db_pass', 'MYSQL_ROOT_PASSWORD', 'PGPASSWORD', 'passwd', 'adminPassword', 'smtp_password', 'REDIS_PASSWORD']),
  f('snyk-token', 'snyk', (r) => `${r.str(8, HEX)}-${r.str(4, HEX)}-4${r.str(3, HEX)}-a${r.str(3, HEX)}-${r.str(12, HEX)}`, false),
  f('sumologic-key', 'sumo', (r) => r.str(64), false, ['SUMO_ACCESS_KEY', 'sumoAccessKey', 'sumologic_access_key', 'SUMOLOGIC_TOKEN']),
  f('datadog-key', 'datadog', (r) => r.str(32, HEX), false, ['DD_API_KEY', 'DATADOG_API_KEY', 'datadogApiKey', 'DD_APP_KEY']),
  f('cloudflare-api-token', 'cloudflare', (r) => r.str(40, B64URL), false),
  f('generic-api-key', 'service', (r) => r.str(32), false),
  f('generic-secret', 'app', (r) => r.str(48, B64) , false, ['SECRET_KEY', 'secret_key_base', 'JWT_SECRET', 'clientSecret', 'client_secret', 'SESSION_SECRET', 'signing_key', 'encryptionKey', 'webhookSecret', 'APP_KEY']),
  f('mailchimp-key', 'mailchimp', (r) => r.str(32, HEX) + '-us' + r.str(2, DIG), false),
  f('okta-token', 'okta', (r) => '00' + r.str(40, B64URL), false),
  f('twitch-token', 'twitch', (r) => r.str(30, LOW + DIG), false),
];

/** Variable names for a family, in the spellings code and config use. */
export function namesFor(fam: Family): string[] {
  if (fam.names) return fam.names;
  const s = fam.stem;
  const camel = s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  const up = s.toUpperCase();
  return [`${up}_TOKEN`, `${camel}Token`, `${s}_api_key`, `${up}_KEY`, `${camel}Key`, `${s}_secret`, `${camel}ApiKey`, `${up}_API_TOKEN`, `${up}_ACCESS_TOKEN`, `${camel}Secret`, `${s}_auth_token`, `${camel}AccessKey`];
}

// Surroundings a real file or transcript adds: other lines, Windows line endings,
// indentation, a trailing comment. The secret itself is never touched.
function decorate(r: Rng, text: string): string {
  switch (Math.floor(r.next() * 6)) {
    case 0:
      return `# generated ${r.str(6, DIG)}
LOG_LEVEL=debug
${text}
RETRIES=3
`;
    case 1:
      return text.replace(/\n/g, '\r\n') + '\r\n';
    case 2:
      return text.split('\n').map((l) => '\t' + l).join('\n');
    case 3:
      return `${text}  # set by ops on ${r.str(2, DIG)}/05`;
    default:
      return text;
  }
}

/** Every family's secret in every context that fits it. */
export function truePositives(seed = 22): TrueCase[] {
  const r = new Rng(seed);
  const out: TrueCase[] = [];
  for (const fam of FAMILIES) {
    const names = namesFor(fam);
    const contexts: Context[] = fam.standalone ? [...CONTEXTS, ...BARE_CONTEXTS] : CONTEXTS;
    contexts.forEach((ctx, i) => {
      const secret = fam.make(r);
      const name = names[i % names.length];
      out.push({ family: fam.name, context: ctx.name, text: decorate(r, ctx.render(name, secret)), secret });
    });
  }
  for (const c of STRUCTURED(r)) out.push(c);
  return out;
}

// Families whose context is part of the format: PEM blocks, URLs, CLI flags, manifests.
function STRUCTURED(r: Rng): TrueCase[] {
  const out: TrueCase[] = [];
  const add = (family: string, context: string, text: string, secret: string) => out.push({ family, context, text, secret });
  for (const label of ['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'DSA PRIVATE KEY']) {
    const k = pem(r, label);
    const line = k.split('\n')[2];
    add('private-key', 'raw', `$ cat key.pem\n${k}\n`, line);
    add('private-key', 'json', JSON.stringify({ type: 'service_account', private_key: k + '\n' }), line);
    add('private-key', 'yaml-block', `tls:\n  key: |\n    ${k.split('\n').join('\n    ')}\n`, line);
    add('private-key', 'env-escaped', `PRIVATE_KEY="${k.split('\n').join('\\n')}"`, line);
    add('private-key', 'truncated', k.slice(0, 200), k.split('\n')[1]);
  }
  const pw = () => r.str(6) + r.pick(['-', '_', '.', '~', '!', '*']) + r.str(6);
  for (const scheme of ['postgres', 'postgresql', 'mysql', 'mongodb+srv', 'redis', 'rediss', 'amqp', 'amqps', 'https', 'http', 'ftp', 'sftp', 'smtp', 'ldap', 'jdbc:mysql', 'git+https', 'mssql', 'clickhouse', 'nats', 'kafka']) {
    const p1 = pw();
    add('url-password', scheme, `DATABASE_URL=${scheme}://app_user:${p1}@db.internal:5432/app`, p1);
    const p2 = pw();
    add('url-password', scheme + '-empty-user', `connect("${scheme}://:${p2}@cache.internal:6379/0")`, p2);
    const p3 = pw();
    add('url-password', scheme + '-log', `2024-05-01 INFO connecting to ${scheme}://svc:${p3}@10.0.0.7/queue`, p3);
  }
  for (let i = 0; i < 10; i++) {
    const p = pw();
    add('curl-basic-auth', 'curl -u', `curl -u admin:${p} https://api.example.com/v1/items`, p);
    const q = pw();
    add('curl-basic-auth', 'curl --user quoted', `curl -s --user "deploy:${q}" -X POST https://ci.example.com/hook`, q);
    const t = pw();
    add('curl-basic-auth', 'curl -u multiline', `curl -X GET \\\n  -u 'robot:${t}' \\\n  https://registry.example.com/v2/`, t);
    const m = pw();
    add('mysql-password', 'mysql -p', `mysql -h db.internal -u root -p${m} shop`, m);
    const d = pw();
    add('mysql-password', 'mysqldump -p', `mysqldump -uadmin -p${d} --all-databases > dump.sql`, d);
    const n = pw();
    add('cli-password', '--password', `docker login --username ci --password ${n} registry.example.com`, n);
    const o = pw();
    add('cli-password', '--password=', `psql --host=db --password=${o} app`, o);
    const w = pw();
    add('nuget-password', 'nuget.config', `<packageSourceCredentials>\n  <feed>\n    <add key="Username" value="ci" />\n    <add key="ClearTextPassword" value="${w}" />\n  </feed>\n</packageSourceCredentials>`, w);
    const v = b64(r, 24);
    add('kubernetes-secret', 'data', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secrets\ntype: Opaque\ndata:\n  ${r.pick(['password', 'api-key', 'tls.key', '.dockerconfigjson', 'DATABASE_URL', 'token'])}: ${v}\n`, v);
    const u = b64(r, 30);
    add('kubernetes-secret', 'data-before-kind', `data:\n  ${r.pick(['credentials.json', 'smtp', 'key'])}: ${u}\nkind: Secret\nmetadata:\n  name: x\n`, u);
    const id = 'AKIA' + r.str(16, UP + '234567');
    add('aws-key-split', 'wrapped line', `aws_access_key_id = ${id.slice(0, 10)}\n${id.slice(10)}\n`, id.slice(10));
    add('aws-key-split', 'shell continuation', `export AWS_ACCESS_KEY_ID=${id.slice(0, 12)}\\\n${id.slice(12)}`, id.slice(0, 12));
    add('aws-key-split', 'json escaped newline', `{"output":"key: ${id.slice(0, 8)}\\n${id.slice(8)}\\n"}`, id.slice(8));
  }
  return out;
}

/** Every false positive: benign texts that must come out unchanged. */
export function falsePositives(): FalseCase[] {
  return FALSE_POSITIVES();
}

/** Recall or false-alarm counts for one family. */
export interface Tally {
  n: number;
  hit: number;
}

/** What `evaluate` returns. */
export interface Evaluation {
  recall: Map<string, Tally>;
  alarms: Map<string, Tally>;
  overallRecall: number;
  overallAlarms: number;
  misses: TrueCase[];
  falseAlarms: FalseCase[];
}

/** Runs `redact` over the corpus: a true case is a hit when its secret is gone, a false case when it changed. */
export function evaluate(redact: (text: string) => string, seed = 22): Evaluation {
  const recall = new Map<string, Tally>();
  const alarms = new Map<string, Tally>();
  const misses: TrueCase[] = [];
  const falseAlarms: FalseCase[] = [];
  const bump = (m: Map<string, Tally>, k: string, hit: boolean) => {
    const t = m.get(k) ?? { n: 0, hit: 0 };
    t.n++;
    if (hit) t.hit++;
    m.set(k, t);
  };
  let tp = 0;
  let tn = 0;
  const trues = truePositives(seed);
  for (const c of trues) {
    const ok = !redact(c.text).includes(c.secret);
    bump(recall, c.family, ok);
    if (ok) tp++;
    else misses.push(c);
  }
  const falses = falsePositives();
  for (const c of falses) {
    const changed = redact(c.text) !== c.text;
    bump(alarms, c.family, changed);
    if (changed) {
      tn++;
      falseAlarms.push(c);
    }
  }
  return { recall, alarms, overallRecall: tp / trues.length, overallAlarms: tn / falses.length, misses, falseAlarms };
}
