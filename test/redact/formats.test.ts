// The cases the issues name, one by one: the assignment forms and formats that were
// missed, the false alarms that were raised, and `detect`.
import { describe, expect, it } from 'vitest';
import { detect, redactText, SECRET_KINDS } from '../../src/core/redact/index.js';

// Fake values in valid formats, assembled so this file does not look like a leak.
const R40 = 'Zx8uK2pQ9vW3mN7bR4tY6hJ1cF5gD0sA2eL8kPqT';
const R32 = R40.slice(0, 32);
const HEX32 = 'a3f9c2e1b7d4508f6e2a9c1d3b5f7e08';

function gone(text: string, secret: string, kind?: string): void {
  const r = redactText(text);
  expect(r.text, text).not.toContain(secret);
  if (kind) expect(r.kinds, text).toContain(kind);
}

function kept(text: string): void {
  expect(redactText(text).text).toBe(text);
}

describe('assignment forms the generic rule reads (issue 22)', () => {
  it.each([
    ['Go typed var', `var snykToken string = "${HEX32}"`],
    ['Makefile ?=', `SNYK_TOKEN ?= "${HEX32}"`],
    ['Makefile ::=', `SNYK_TOKEN ::= ${HEX32}`],
    ['Makefile :::=', `SNYK_TOKEN :::= ${HEX32}`],
    ['Makefile +=', `SNYK_TOKEN += ${HEX32}`],
    ['PHP .=', `$snykToken .= "${HEX32}";`],
    ['Java setProperty', `System.setProperty("SNYK_TOKEN", "${HEX32}");`],
    ['XML element across lines', `<snykToken>\n    ${HEX32}\n</snykToken>`],
    ['name ending in KEY', `const SNYK_KEY = "${HEX32}"`],
    ['name ending in Key', `snykKey: '${HEX32}'`],
    ['Kotlin typed', `val snykToken: String = "${HEX32}"`],
    ['Rust const', `const SNYK_TOKEN: &str = "${HEX32}";`],
    ['YAML literal block', `snyk_token: |\n  ${HEX32}\n`],
    ['CSV', `snykToken,${HEX32},`],
    ['logstash', `  "snykToken" => "${HEX32}"`],
    ['Dockerfile legacy ENV', `ENV SNYK_TOKEN ${HEX32}`],
    ['Kubernetes env pair', `env:\n  - name: SNYK_TOKEN\n    value: "${HEX32}"`],
    ['NuGet ClearTextPassword', `<add key="ClearTextPassword" value="${R32}" />`],
    ['CLI flag', `deploy --api-token ${HEX32} --region eu`],
    ['escaped JSON', `"{\\"snyk_token\\": \\"${HEX32}\\"}"`],
  ])('%s', (_name, text) => gone(text, HEX32.length === 32 && text.includes(HEX32) ? HEX32 : R32, 'secret-assignment'));
});

describe('formats that were missed (issues 10 and 22)', () => {
  it('curl -u user:pass and --user', () => {
    gone('curl -u admin:Tr0ub4dor-3x https://api.example.com', 'Tr0ub4dor-3x', 'basic-auth');
    gone('curl --user "deploy:S3cr3t-Passw0rd" -X POST https://x', 'S3cr3t-Passw0rd', 'basic-auth');
    gone(`curl -u ${'sk_test_' + R32}: https://api.stripe.com/v1/charges`, R32);
  });

  it('mysql -p<value>, and the bare -p that prompts is left alone', () => {
    gone('mysql -h db -u root -pS3cretPw9 shop', 'S3cretPw9', 'secret-assignment');
    gone('mysqldump -uadmin -p"Qz!9w8e7" --all-databases', 'Qz!9w8e7');
    kept('mysql -u root -p shop < schema.sql');
  });

  it('passwords in URLs of every scheme, including an empty user', () => {
    for (const scheme of ['postgres', 'mysql', 'mongodb+srv', 'redis', 'amqps', 'https', 'ftp', 'smtp', 'ldap', 'jdbc:mysql', 'git+ssh']) {
      gone(`${scheme}://app:Pa55-w0rd_x@db.internal:5432/app`, 'Pa55-w0rd_x', 'url-password');
    }
    gone('redis://:Pa55-w0rd_x@cache:6379/0', 'Pa55-w0rd_x', 'url-password');
  });

  it('an AWS access key id split across lines', () => {
    const id = 'AKIA' + 'QW3E5R7T2Y4U6I3O';
    gone(`aws_access_key_id = ${id.slice(0, 10)}\n${id.slice(10)}\n`, id.slice(10), 'aws-access-key');
    gone(`export AWS_ACCESS_KEY_ID=${id.slice(0, 12)}\\\n${id.slice(12)}`, id.slice(0, 12), 'aws-access-key');
    gone(`{"out":"key ${id.slice(0, 8)}\\n${id.slice(8)}"}`, id.slice(8), 'aws-access-key');
  });

  it.each([
    ['Kubernetes Secret data', `apiVersion: v1\nkind: Secret\ndata:\n  tls.key: ${R40}==\n  .dockerconfigjson: eyJhdXRocyI6e30=\n`, R40, 'kubernetes-secret'],
    ['Azure AD client secret', `AZURE_CLIENT_SECRET=abc8Q~${R32}xy`, R32, 'azure-client-secret'],
    ['GitLab runner token', `glrt-${R32.slice(0, 20)}`, R32.slice(0, 20), 'gitlab-token'],
    ['GitLab deploy token', `token: gldt-${R32.slice(0, 20)}`, R32.slice(0, 20), 'gitlab-token'],
    ['GitLab CI job token', `CI_JOB_TOKEN=glcbt-1a_${R32.slice(0, 20)}`, R32.slice(0, 20), 'gitlab-token'],
    ['GitLab feed token', `feed glft-${R32.slice(0, 20)}`, R32.slice(0, 20), 'gitlab-token'],
    ['GitLab incoming mail token', `glimt-${R32.slice(0, 25)}`, R32.slice(0, 25), 'gitlab-token'],
    ['Slack legacy xoxa', `xoxa-2-${'7395028461'}-${R32}`, R32, 'slack-token'],
    ['Slack legacy xoxr', `xoxr-${'7395028461'}-${R32}`, R32, 'slack-token'],
    ['Hugging Face org token', `api_org_${'ZxuKpQvWmNbRtYhJcFgDsAeLkPqTZxuKpQ'}`, 'ZxuKpQvWmNbRtYhJcFgDsAeLkPqTZxuKpQ', 'huggingface-token'],
    ['Airtable PAT', `pat${R40.slice(0, 14)}.${HEX32}${HEX32}`, HEX32, 'airtable-token'],
    ['Sumo Logic key', `SUMO_ACCESS_KEY=${R40}${R32.slice(0, 24)}`, R40, 'secret-assignment'],
    ['Vault legacy token', `VAULT_TOKEN=s.${R40.slice(0, 24)}`, R40.slice(0, 24), 'vault-token'],
    ['Vault service token', `hvs.${R40}${R40}${R40.slice(0, 15)}`, R40, 'vault-token'],
    ['Cloudflare origin CA key', `v1.0-${HEX32.slice(0, 24)}-${(HEX32 + HEX32 + HEX32 + HEX32 + HEX32).slice(0, 146)}`, HEX32.slice(0, 24), 'cloudflare-key'],
    ['Notion token', `ntn_${'73950284615'}${R32}abc`, R32, 'notion-token'],
    ['unsigned JWT', `id_token=eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIiwiYWRtaW4iOnRydWV9.`, 'eyJzdWIiOiIxMjM0NTY3ODkwIiwiYWRtaW4iOnRydWV9', 'jwt'],
    ['AWS Bedrock long-term key', `AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleS1${R40}${R40}${R40.slice(0, 30)}=`, R40, 'aws-bedrock-key'],
    ['OpenAI project key', `OPENAI_API_KEY=sk-proj-${R40}${R40}T3BlbkFJ${R40}`, R40, 'openai-key'],
    ['Anthropic key', `sk-ant-api03-${R40}${R40}${R40.slice(0, 13)}AA`, R40, 'anthropic-key'],
  ])('%s', (_name, text, secret, kind) => gone(text, secret, kind));
});

describe('false alarms the issue names are gone', () => {
  it.each([
    ['ghp_ placeholder', 'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['AWS documentation key id', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE'],
    ['AWS documentation secret', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['Firebase web config', 'const firebaseConfig = { apiKey: "AIzaSyB3kP9xQ2mN7vR4tY6hJ1cF5gD0sA2eL8k", authDomain: "x.firebaseapp.com" };'],
    ['Stripe publishable key', 'STRIPE_PUBLISHABLE_KEY=pk_live_51HqJxKLm8N7bV6cX5zA4sD3fG2hJ1kL0pO9iU8yT7rE6wQ'],
    ['SharedIniFileCredentials', "credentials: new AWS.SharedIniFileCredentials({ profile: 'dev' }),"],
    ['jjwt-jackson', "implementation 'io.jsonwebtoken:jjwt-jackson:0.11.2'"],
    ['paths inside URLs', 'see https://github.com/acme/api/blob/main/src/auth/token/refresh.ts and https://docs.google.com/document/d/1A2b3C4d5E6f7G8h9I0jK1L2m3N4o5P6q7R8s9T0uV/edit'],
    ['token endpoint', 'token_endpoint: https://login.example.com/oauth2/v2.0/token'],
    ['shell default', 'password: ${DB_PASSWORD:-postgres}'],
    ['templated secret', 'token: ${{ secrets.GITHUB_TOKEN }}'],
    ['ARN', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf'],
    ['base64 image', `{"data":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ${R40}${R40}"}`],
    ['query id in a URL', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG'],
  ])('%s', (_name, text) => kept(text));
});

describe('detect', () => {
  it('says whether text holds a secret, which kinds and where, without redacting', () => {
    const text = `GITHUB_TOKEN=ghp_${R32}abcd\npassword: "hunter2-hunter2"`;
    const d = detect(text);
    expect(d.found).toBe(true);
    expect(d.kinds).toEqual(['github-token', 'secret-assignment']);
    expect(d.spans.map((s) => text.slice(s.start, s.end))).toEqual([`ghp_${R32}abcd`, 'hunter2-hunter2']);
    for (const k of d.kinds) expect(SECRET_KINDS).toContain(k);
  });

  it('finds nothing in ordinary text, and can leave the entropy rule out for files', () => {
    expect(detect('const x = 1; // nothing to see').found).toBe(false);
    const random = `SESSION_SALT=${R40}`;
    expect(detect(random).kinds).toEqual(['high-entropy']);
    expect(detect(random, { entropy: false }).found).toBe(false);
  });
});
