// False positives for the redaction corpus: texts that look like secrets and are not.
// Placeholders in the contexts a real secret would sit in, formats that are public by
// design, the over-reach the issue names, ids and hashes, and ordinary code about
// secrets. A redactor that changes any of these raises a false alarm.
import type { FalseCase } from './redact-corpus.js';
import { CONTEXTS } from './redact-contexts.js';

const PLACEHOLDERS = [
  'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
  'glpat-xxxxxxxxxxxxxxxxxxxx',
  'xoxb-your-bot-token-here',
  'npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
  'hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  '<your-token>',
  '<YOUR_API_KEY>',
  '${API_TOKEN}',
  '$API_TOKEN',
  '%API_TOKEN%',
  '{{ .Values.apiToken }}',
  '${{ secrets.NPM_TOKEN }}',
  'changeme',
  'your-api-key-here',
  'YOUR_API_KEY_HERE',
  '********',
  'xxxxxxxxxxxxxxxx',
  'REPLACE_ME',
  '<redacted>',
  'dummy-token-for-tests',
  'example-secret-value',
  'insert-your-key',
  '0000000000000000000000000000000000000000',
];

// A subset of contexts is enough: placeholders are judged on the value, not the notation.
const PLACEHOLDER_CONTEXTS = ['env', 'env quoted', 'json', 'yaml', 'yaml double quote', 'toml', 'xml element', 'go short', 'java', 'python', 'js object', 'php array', 'dockerfile ENV', 'kubernetes env', 'cli flag', 'curl header'];
const PLACEHOLDER_NAMES = ['API_TOKEN', 'githubToken', 'aws_secret_access_key', 'password', 'client_secret', 'STRIPE_SECRET_KEY'];

const PUBLIC = [
  // Firebase web config: the key identifies the project and ships to every browser.
  `const firebaseConfig = {\n  apiKey: "AIzaSyB3kP9xQ2mN7vR4tY6hJ1cF5gD0sA2eL8k",\n  authDomain: "acme-prod.firebaseapp.com",\n  projectId: "acme-prod",\n};`,
  `firebase.initializeApp({ apiKey: 'AIzaSyDq7Wm2Xk9Lp4Rt6Yv8Zb1Nc3Md5Fg7Hj0', authDomain: 'demo-app.firebaseapp.com' });`,
  `<script>\n  var config = { apiKey: "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", authDomain: "shop.firebaseapp.com" };\n</script>`,
  'STRIPE_PUBLISHABLE_KEY=pk_live_51HqJxKLm8N7bV6cX5zA4sD3fG2hJ1kL0pO9iU8yT7rE6wQ',
  'NEXT_PUBLIC_STRIPE_KEY=pk_test_51HqJxKLm8N7bV6cX5zA4sD3fG2hJ1kL0pO9iU8yT7rE6wQ',
  'SENTRY_DSN=https://4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f@o123456.ingest.sentry.io/7654321',
  '<div class="g-recaptcha" data-sitekey="6LcY7XoUAAAAAJ5n0Yx3kP9xQ2mN7vR4tY6hJ1cF"></div>',
  'RECAPTCHA_SITE_KEY=6LcY7XoUAAAAAJ5n0Yx3kP9xQ2mN7vR4tY6hJ1cF',
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb7Xq9kR2mPz4LnB8vW3tY6hJ1cF5gD0sA2eL8kPqTz dev@laptop',
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQC7vR4tY6hJ1cF5gD0sA2eL8kPqTzXq9kR2mPz4LnB8vW3tY6hJ1cF5gD0sA2eL8kPqTz ci@build',
  '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTES\nMBAGA1UEChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0MSIwIAYDVQQDExlC\n-----END CERTIFICATE-----',
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7vR4tY6hJ1cF5gD0sA2eL8kPqTzXq9kR\n2mPz4LnB8vW3tY6hJ1cF5gD0sA2eL8kPqTzXq9kR2mPz4LnB8vW3tY6hJ1cF5gD0sA\n-----END PUBLIC KEY-----',
  'gtag("config", "G-7XK2M9QRTZ"); ga("create", "UA-12345678-1", "auto");',
  'ALGOLIA_APP_ID=LATENCY7Q2',
];

const OVER_REACH = [
  `const s3 = new AWS.S3({\n  credentials: new AWS.SharedIniFileCredentials({ profile: 'dev' }),\n});`,
  `credentials: new AWS.SharedIniFileCredentials({profile: 'default'})`,
  `implementation 'io.jsonwebtoken:jjwt-jackson:0.11.2'`,
  `runtimeOnly("io.jsonwebtoken:jjwt-jackson:0.11.5")`,
  `<dependency>\n  <groupId>io.jsonwebtoken</groupId>\n  <artifactId>jjwt-jackson</artifactId>\n  <version>0.11.2</version>\n</dependency>`,
  'see https://github.com/acme/api/blob/main/src/auth/token/refresh_token_handler.ts#L42',
  'https://example.com/account/password/reset?next=/settings/security',
  'GET /api/v1/token/introspect HTTP/1.1',
  'token_endpoint: https://login.microsoftonline.com/common/oauth2/v2.0/token',
  '"token_uri": "https://oauth2.googleapis.com/token"',
  'password_reset_url: https://example.com/users/password/edit',
  'POST https://api.example.com/v2/secrets/rotate/7d3f9a2b-1c4e-4f6a-9b8d-0e2c4a6f8b1d',
  'https://docs.google.com/document/d/1A2b3C4d5E6f7G8h9I0jK1L2m3N4o5P6q7R8s9T0uV/edit',
  'https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG',
  'auth_url = "https://accounts.example.com/o/oauth2/auth"',
  'secretsmanager:GetSecretValue on arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf',
  'kubectl create secret generic db-creds --from-file=./password.txt',
  'password_file: /run/secrets/db_password',
  'ssh_key: ~/.ssh/id_ed25519',
  'TOKEN_PATH=/var/run/secrets/kubernetes.io/serviceaccount/token',
];

const IDS_AND_HASHES = [
  'commit 3f2a9c1e0b7d4a5f6e8c9b0a1d2e3f4a5b6c7d8e\nAuthor: Ann <ann@example.com>',
  'HEAD is now at 9b2c5d5 Fix the token refresh race',
  '{"sha": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "ref": "refs/heads/main"}',
  'request_id=550e8400-e29b-41d4-a716-446655440000 trace_id=4bf92f3577b34da6a3ce929d0e0e4736',
  '"integrity": "sha512-Qz7Zx8uK2pQ9vW3mN7bR4tY6hJ1cF5gD0sA2eL8kPqTZx8uK2pQ9vW3mN7bR4tY6hJ1cF5gD0sA2eL8kPqT=="',
  'resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#679591c564c3bffaae8454cf0b3df370c3d6911c"',
  'golang.org/x/crypto v0.21.0 h1:X31++rzVUdKhX5sWmSOFZxx8UW/ldWx55cbf08iNAMA=',
  'checksum = "ea5d730647d4fadd988536d06fecce94b7b4f2a7efdae548f1cf4b63205518ab"',
  '{file = "requests-2.31.0-py3-none-any.whl", hash = "sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f"}',
  '"shasum": "8f1d8c6f0a3e2b7c9d4e5f6a7b8c9d0e1f2a3b4c"',
  'image: ghcr.io/acme/api@sha256:9b2c5d5e2c3f1a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d',
  '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAGXRFWHRTb2Z0d2FyZQBBZG9iZSBJbWFnZVJlYWR5ccllPAAAAJ1JREFUeNpi/P//PwMlgImBQjDwBrCgCzAyMoJpF0YGhv9/GRj+/wMCRkZGsE5YEJwN1g5iIwmEyMjIwMjGBrEdRAFrAiM7IxgFxNJgBbAkMjKABBhBAN4EGAFAjAICgBQZAAAAAElFTkSuQmCC" />',
  'background: url(data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAxMCAxMCI+PHBhdGggZD0iTTAgMGgxMHYxMEgweiIvPjwvc3ZnPg==);',
  'session 01HX3KQ9ZV8M2N4P6R7S8T9V0W opened; ulid 01ARZ3NDEKTSV4RRFFQ69G5FAV',
  'Tests  214 passed (214) Duration 3.21s; task-runner-dependency-graph-builder',
  'x86_64-unknown-linux-gnu/release/build/ring-1a2b3c4d5e6f7a8b/out/libring_core_0_17_8.a',
  'AbstractSingletonProxyFactoryBean2Impl getUserAccountSettingsByIdentifierForTenant',
  '"etag": "W/\\"5f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f\\""',
  `{"type":"image","source":{"type":"base64","media_type":"image/png","data":"${'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg' + 'Zx8uK2pQ9vW3mN7bR4tY6hJ1cF5gD0sA2eL8kPqT'.repeat(60)}=="}}`,
  'at Object.<anonymous> (/app/node_modules/.pnpm/next@14.2.3_react-dom@18.3.1/node_modules/next/dist/server/base-server.js:812:22)',
  'webpackChunk_N_E.push([[931],{7421:function(e,t,n){"use strict";n.r(t),n.d(t,{default:function(){return Z}})}}]);',
  'Error: connect ECONNREFUSED 127.0.0.1:5432 at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) pid=48213 addr=0x7ffd5e8b2c40',
  'added 1342 packages, and audited 1343 packages in 41s; 212 packages are looking for funding',
  'npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.',
];

const CODE = [
  'max_tokens: 4096',
  '"max_tokens": 1024, "prompt_tokens": 532, "completion_tokens": 87',
  'token_type: "Bearer"',
  'password: string;',
  'interface Credentials { token?: string; password: string | undefined }',
  'const token = getToken();',
  'if (password === confirmPassword) { submit(); }',
  'const { token } = req.body;',
  'passwordHash: bcrypt.hashSync(password, 10),',
  'this.secret = options.secret;',
  'apiKey: process.env.OPENAI_API_KEY,',
  'api_key = os.environ["OPENAI_API_KEY"]',
  'token := os.Getenv("GITHUB_TOKEN")',
  'tokenizer = AutoTokenizer.from_pretrained("gpt2")',
  'TOKEN_EXPIRY_SECONDS=3600',
  'secretName: my-app-secrets',
  'auth: true',
  'primary_key: id',
  'foreign_key: user_id',
  'publicKey: fs.readFileSync("./keys/public.pem"),',
  'cacheKey: "user:" + userId,',
  'key: "home.title"',
  'password_min_length: 12',
  'show_password: false',
  'public CancellationToken token = default;',
  'csrf_token: "{{ csrf_token() }}"',
  'next_page_token: "CAUQAA"',
  'def login(username, password):\n    return auth.check(username, password)',
  'String password = request.getParameter("password");',
  '$password = $_POST["password"];',
  'let secret = std::env::var("APP_SECRET")?;',
  'password = getpass.getpass("Password: ")',
  'expect(res.body.token).toBeDefined();',
  'token: ${{ secrets.GITHUB_TOKEN }}',
  'Authorization: Bearer ${ACCESS_TOKEN}',
  'curl -H "Authorization: Bearer $TOKEN" https://api.github.com/user',
  'curl -u "$USER:$PASS" https://example.com',
  'mysql -u root -p',
  'mysql -u root -p mydb < schema.sql',
  'docker login --password-stdin < token.txt',
  'git clone https://github.com/acme/secret-scanner.git',
  'See the Password and Token sections of the README.',
  'The API key, once created, cannot be shown again.',
  'sortKey: "createdAt",',
  'storageKey: "myAppState",',
  'translationKey: "errors.password.tooShort"',
  'password: ${DB_PASSWORD:-postgres}',
  'export GITHUB_TOKEN=$(gh auth token)',
  'API_KEY=${API_KEY:?must be set}',
];

/** All false positives, by family. */
export function FALSE_POSITIVES(): FalseCase[] {
  const out: FalseCase[] = [];
  PLACEHOLDERS.forEach((p, i) => {
    for (const [j, ctxName] of PLACEHOLDER_CONTEXTS.entries()) {
      const ctx = CONTEXTS.find((x) => x.name === ctxName)!;
      out.push({ family: 'placeholder', context: ctxName, text: ctx.render(PLACEHOLDER_NAMES[(i + j) % PLACEHOLDER_NAMES.length], p) });
    }
  });
  PUBLIC.forEach((t) => out.push({ family: 'public-by-design', context: 'file', text: t }));
  OVER_REACH.forEach((t) => out.push({ family: 'over-reach', context: 'file', text: t }));
  IDS_AND_HASHES.forEach((t) => out.push({ family: 'ids-and-hashes', context: 'file', text: t }));
  CODE.forEach((t) => out.push({ family: 'code', context: 'file', text: t }));
  return out;
}
