// Secret samples for the redaction tests: one or more per kind, each with the context
// it typically appears in. Fake values in valid formats (built from pieces so the test
// source itself does not look like a leaked credential to a scanner).

/** A secret, a line of text containing it, and the kind it must be reported as. */
export interface Sample {
  kind: string;
  secret: string;
  text: string;
}

const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Deterministic pseudo-random strings from the alphabet (a fixed LCG, not Math.random).
let seed = 7;
function rnd(n: number, alphabet = A): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    s += alphabet[(seed >>> 8) % alphabet.length];
  }
  return s;
}

const pemBody = 'MIIEowIBAAKCAQEA' + rnd(240, A + '+/');
const pem = ['-----BEGIN RSA PRIVATE KEY-----', ...pemBody.match(/.{1,64}/g)!, '-----END RSA PRIVATE KEY-----'].join('\n');
const ecPem = ['-----BEGIN EC PRIVATE KEY-----', 'MHcCAQEEI' + rnd(55, A + '+/'), '-----END EC PRIVATE KEY-----'].join('\n');
const pkcs8 = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBg' + rnd(50, A + '+/'), '-----END PRIVATE KEY-----'].join('\n');

const s = {
  awsId: 'AKIA' + rnd(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
  awsSecret: rnd(18) + '/' + rnd(10) + '+' + rnd(10),
  ghp: 'ghp_' + rnd(36),
  gho: 'gho_' + rnd(36),
  ghs: 'ghs_' + rnd(36),
  ghu: 'ghu_' + rnd(36),
  pat: 'github_pat_11' + rnd(20) + '_' + rnd(59),
  slackBot: 'xoxb-' + rnd(12, '0123456789') + '-' + rnd(13, '0123456789') + '-' + rnd(24),
  slackUser: 'xoxp-' + rnd(12, '0123456789') + '-' + rnd(12, '0123456789') + '-' + rnd(13, '0123456789') + '-' + rnd(32, 'abcdef0123456789'),
  slackHook: 'T' + rnd(8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') + '/B' + rnd(8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') + '/' + rnd(24),
  openai: 'sk-' + rnd(20) + 'T3BlbkFJ' + rnd(20),
  openaiProj: 'sk-proj-' + rnd(74, A + '_-') + 'T3BlbkFJ' + rnd(74, A + '_-'),
  openaiPlain: 'sk-' + rnd(20) + 'Ab9' + rnd(25),
  anthropic: 'sk-ant-api03-' + rnd(93, A + '_-') + 'AA',
  google: 'AIza' + rnd(35, A + '_-'),
  npm: 'npm_' + rnd(36),
  stripeLive: 'sk_live_' + rnd(24),
  stripeRestricted: 'rk_live_' + rnd(24),
  stripeTest: 'sk_test_' + rnd(24),
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.' + rnd(43, A + '_-'),
  random: rnd(40),
};

/** Every kind, seeded in a realistic context. */
export const SAMPLES: Sample[] = [
  { kind: 'aws-access-key', secret: s.awsId, text: `aws configure set aws_access_key_id ${s.awsId}` },
  { kind: 'aws-secret-key', secret: s.awsSecret, text: `AWS_SECRET_ACCESS_KEY=${s.awsSecret}` },
  { kind: 'aws-secret-key', secret: s.awsSecret, text: `aws_secret_access_key = ${s.awsSecret}` },
  { kind: 'github-token', secret: s.ghp, text: `git remote set-url origin https://x-access-token:${s.ghp}@github.com/o/r.git` },
  { kind: 'github-token', secret: s.ghp, text: `gh auth login --with-token <<< ${s.ghp}` },
  { kind: 'github-token', secret: s.gho, text: `oauth: ${s.gho}` },
  { kind: 'github-token', secret: s.ghs, text: `installation token ${s.ghs} expires in 1h` },
  { kind: 'github-token', secret: s.ghu, text: `user-to-server ${s.ghu}` },
  { kind: 'github-token', secret: s.pat, text: `export GH_PAT=${s.pat}` },
  { kind: 'slack-token', secret: s.slackBot, text: `client = WebClient(token="${s.slackBot}")` },
  { kind: 'slack-token', secret: s.slackUser, text: `legacy ${s.slackUser}` },
  { kind: 'slack-webhook', secret: s.slackHook, text: `curl -X POST https://hooks.slack.com/services/${s.slackHook} -d '{}'` },
  { kind: 'openai-key', secret: s.openai, text: `openai.api_key = "${s.openai}"` },
  { kind: 'openai-key', secret: s.openaiProj, text: `OPENAI_API_KEY=${s.openaiProj}` },
  { kind: 'openai-key', secret: s.openaiPlain, text: `the key ${s.openaiPlain} stopped working` },
  { kind: 'anthropic-key', secret: s.anthropic, text: `export ANTHROPIC_API_KEY=${s.anthropic}` },
  { kind: 'google-api-key', secret: s.google, text: `https://maps.googleapis.com/maps/api/geocode/json?key=${s.google}` },
  { kind: 'npm-token', secret: s.npm, text: `//registry.npmjs.org/:_authToken=${s.npm}` },
  { kind: 'stripe-key', secret: s.stripeLive, text: `Stripe.api_key = '${s.stripeLive}'` },
  { kind: 'stripe-key', secret: s.stripeRestricted, text: `restricted ${s.stripeRestricted}` },
  { kind: 'stripe-key', secret: s.stripeTest, text: `test mode ${s.stripeTest}` },
  { kind: 'private-key', secret: pemBody.slice(16, 64), text: `cat ~/.ssh/id_rsa\n${pem}\n$ ` },
  { kind: 'private-key', secret: ecPem.split('\n')[1], text: `key:\n${ecPem}` },
  { kind: 'private-key', secret: pkcs8.split('\n')[1], text: JSON.stringify({ private_key_id: 'abc', private_key: pkcs8 + '\n' }) },
  { kind: 'private-key', secret: pemBody.slice(64, 120), text: `truncated output:\n${pem.slice(0, 200)}` },
  { kind: 'url-password', secret: 'S3cretPassw0rd', text: 'psql postgres://app:S3cretPassw0rd@db.internal:5432/app' },
  { kind: 'url-password', secret: 'p@ss:w0rd!', text: 'mysql://root:p@ss:w0rd!@localhost/test' },
  { kind: 'url-password', secret: 'tok_9f8e7d6c5b4a', text: 'git clone https://deploy:tok_9f8e7d6c5b4a@gitlab.example.com/g/p.git' },
  { kind: 'url-password', secret: 'Mongo-Pa55', text: 'MONGO=mongodb+srv://svc:Mongo-Pa55@cluster0.example.mongodb.net/db' },
  { kind: 'url-password', secret: 'redisPw42', text: 'redis://default:redisPw42@cache:6379/0' },
  { kind: 'secret-assignment', secret: 'hunter2-hunter2', text: 'DB_PASSWORD=hunter2-hunter2' },
  { kind: 'secret-assignment', secret: 'correct horse battery', text: '{"password": "correct horse battery", "user": "ann"}' },
  { kind: 'secret-assignment', secret: 'q8w7e6r5t4', text: 'api_key: q8w7e6r5t4' },
  { kind: 'secret-assignment', secret: 'abcDEF123ghi', text: "config.apikey = 'abcDEF123ghi'" },
  { kind: 'secret-assignment', secret: 'ak_live_998877', text: 'ACCESS_KEY=ak_live_998877' },
  { kind: 'secret-assignment', secret: 'shh-its-a-secret', text: 'client_secret: "shh-its-a-secret"' },
  { kind: 'secret-assignment', secret: 'pa55phrase', text: 'passwd=pa55phrase' },
  { kind: 'secret-assignment', secret: 'x9y8z7w6', text: "'private_key' => 'x9y8z7w6'," },
  { kind: 'secret-assignment', secret: 'tok3n-value', text: 'https://api.example.com/v1/items?access_token=tok3n-value&page=2' },
  { kind: 'secret-assignment', secret: 'SuperSecret1', text: 'Server=db;User Id=sa;Password=SuperSecret1;' },
  { kind: 'secret-assignment', secret: 'npmrcvalue123', text: '_auth=npmrcvalue123' },
  { kind: 'secret-assignment', secret: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4', text: 'SECRET_KEY = "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4"' },
  { kind: 'secret-assignment', secret: 'Zm9vOmJhcg', text: 'Authorization: Basic Zm9vOmJhcg==' },
  { kind: 'bearer-token', secret: 'abcdef0123456789ABCDEF.xyz', text: 'curl -H "Authorization: Bearer abcdef0123456789ABCDEF.xyz" https://api' },
  { kind: 'bearer-token', secret: 'opaque_token_1234567890', text: 'sent Bearer  opaque_token_1234567890 upstream' },
  { kind: 'jwt', secret: s.jwt, text: `jwt: ${s.jwt}` },
  { kind: 'high-entropy', secret: s.random, text: `export SESSION_SALT=${s.random}` },
  { kind: 'high-entropy', secret: s.random, text: `GET /v1/keys/${s.random}/rotate` },
];

/** Text that must come out unchanged: git/tooling output, identifiers, URLs without passwords. */
export const BENIGN: string[] = [
  'commit 3f2a9c1e0b7d4a5f6e8c9b0a1d2e3f4a5b6c7d8e\nAuthor: Ann <ann@example.com>\nMerge: 1a2b3c4 5d6e7f8',
  'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678 refs/heads/main\n0000000000000000000000000000000000000000',
  'sha256:9b2c5d5e2c3f1a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d',
  'request 550e8400-e29b-41d4-a716-446655440000 session 01hx3kq9zv8m2n4p6r7s8t9v0w',
  'AbstractSingletonProxyFactoryBean2Impl getUserAccountSettingsByIdentifierForTenant',
  'HTTP2ServerConnectionManagerFactoryV3 kMaxNumberOfConcurrentStreamsPerConnection64',
  'see https://github.com/org/repo/blob/36785f3399a41cd61e9d28d1eb9c2fcd73d69b4c/lib/keypress.js#L10',
  'https://example.com:8443/path/to/thing?query=1&other=two#frag and http://localhost:3000/',
  'git@github.com:org/repo.git and ssh://git@host:22/repo.git',
  '"integrity": "sha512-Qz7Zx8uK2pQ9vW3mN7bR4tY6hJ1cF5gD0sA2eL8kPqTZx8uK2pQ9vW3mN7bR4tY6hJ1cF5gD0sA2eL8kPqT=="',
  'golang.org/x/text v0.3.7 h1:olpwvP2KacW1ZWvsR7uQhoyTYvKAupfQrRGBFM352Gk=',
  'const token = getToken(); const secret = options.secret; password: string;',
  'function login(password) { return hash(password, salt); } // password = password',
  'max_tokens: 4096, "token_count": 1234, "author": "Jane Doe", tokens: 17',
  'interface Auth { token?: string; password: string | undefined }',
  'if (password == expected) { bypass = true; compass: north }',
  'export GITHUB_TOKEN=$GITHUB_TOKEN && echo ${{ secrets.NPM_TOKEN }} && PASSWORD=${DB_PASS}',
  'password: "********" and token: "<your-token-here>" and secret: "[REDACTED:github-token]"',
  'PWD=/home/dev/project OLDPWD=/home/dev',
  '/usr/local/lib/node_modules/typescript/lib/tsserver.js src/components/UserProfileSettings/Avatar2.tsx',
  'x86_64-unknown-linux-gnu/release/build/ring-1a2b3c4d5e6f7a8b/out',
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----',
  'Tests  214 passed (214) Duration 3.21s; task-runner-dependency-graph-builder; disk-usage-analyzer-report',
  '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTES\n-----END CERTIFICATE-----',
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb7Xq9kR2mPz4LnB8vW3tY6hJ1cF5gD0sA2eL8kPqTz dev@laptop',
  'aGVsbG8gd29ybGQ= is "hello world" in base64; short ids like Xy7pQ2 and 0x7ffd5e8b',
  'readonly STENCIL_PASS_DEPTH_PASS: 0x0B96; port: 5432; timeout: 2000',
  '',
  'ok',
];
