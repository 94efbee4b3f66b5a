import { describe, expect, it } from 'vitest';
import { createRedactor, createRedactorSync, findSecrets, marker, redactText, SECRET_KINDS } from '../../src/core/redact/index.js';
import { looksRandom, shannon } from '../../src/core/redact/entropy.js';
import { BENIGN, SAMPLES } from './samples.js';

describe('redactText: every kind seeded in text', () => {
  it.each(SAMPLES.map((s, i) => [i, s.kind, s] as const))('#%i %s', (_i, kind, s) => {
    const r = redactText(s.text);
    expect(r.text).not.toContain(s.secret);
    expect(r.kinds).toContain(kind);
    expect(r.text).toContain(marker(kind));
    for (const k of r.kinds) expect(SECRET_KINDS).toContain(k);
  });

  it('covers every advertised kind the task names', () => {
    const seeded = new Set(SAMPLES.map((s) => s.kind));
    for (const k of ['aws-access-key', 'aws-secret-key', 'github-token', 'slack-token', 'slack-webhook', 'openai-key', 'anthropic-key', 'google-api-key', 'npm-token', 'stripe-key', 'private-key', 'url-password', 'secret-assignment', 'high-entropy']) {
      expect(seeded.has(k), k).toBe(true);
    }
  });

  it('keeps the text around a secret intact', () => {
    expect(redactText('postgres://app:S3cretPassw0rd@db:5432/app').text).toBe('postgres://app:[REDACTED:url-password]@db:5432/app');
    expect(redactText('DB_PASSWORD=hunter2-hunter2 # local').text).toBe('DB_PASSWORD=[REDACTED:secret-assignment] # local');
    expect(redactText('{"password": "pw-1234", "user": "ann"}').text).toBe('{"password": "[REDACTED:secret-assignment]", "user": "ann"}');
    expect(redactText('Authorization: Bearer abcdef0123456789ABCDEF').text).toBe('Authorization: Bearer [REDACTED:bearer-token]');
  });

  it('replaces a private key block from BEGIN through END as one marker', () => {
    const s = SAMPLES.find((x) => x.kind === 'private-key')!;
    const r = redactText(s.text);
    expect(r.text).toBe('cat ~/.ssh/id_rsa\n[REDACTED:private-key]\n$ ');
  });

  it('reports the most specific kind when detectors overlap', () => {
    // The value of an assignment is also a GitHub token: one marker, the specific kind.
    const r = redactText('GITHUB_TOKEN=ghp_' + 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5');
    expect(r.text).toBe('GITHUB_TOKEN=[REDACTED:github-token]');
    expect(r.kinds).toEqual(['github-token']);
  });

  it('handles secrets inside escaped JSON text', () => {
    const r = redactText('{"cmd":"export TOKEN=\\"s3cr3t-value\\"\\nghp_' + 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5' + '"}');
    expect(r.text).not.toContain('s3cr3t-value');
    expect(r.text).not.toContain('ghp_aB3d');
  });
});

describe('redactText: benign text is left alone', () => {
  it.each(BENIGN.map((t, i) => [i, t] as const))('#%i', (_i, text) => {
    const r = redactText(text);
    expect(r.kinds).toEqual([]);
    expect(r.text).toBe(text);
  });

  it('returns the very same string when nothing was found (no copy on the fast path)', () => {
    const t = 'plain text '.repeat(1000);
    expect(redactText(t).text).toBe(t);
  });
});

describe('redactText: properties', () => {
  it('is idempotent: redacting redacted text changes nothing', () => {
    for (const s of SAMPLES) {
      const once = redactText(s.text).text;
      expect(redactText(once).text).toBe(once);
    }
  });

  it('can turn the entropy detector off', () => {
    const s = SAMPLES.find((x) => x.kind === 'high-entropy')!;
    expect(redactText(s.text, { entropy: false }).kinds).toEqual([]);
    expect(redactText(s.text).kinds).toEqual(['high-entropy']);
  });

  it('findSecrets returns spans that cover the secret', () => {
    for (const s of SAMPLES) {
      const at = s.text.indexOf(s.secret);
      const spans = findSecrets(s.text);
      expect(spans.some((p) => p.start <= at + 1 && p.end >= at + s.secret.length - 2), s.text).toBe(true);
    }
  });

  it('the Redactor factories agree with redactText', async () => {
    const a = await createRedactor();
    const b = createRedactorSync();
    for (const s of SAMPLES) {
      expect(a.redact(s.text)).toEqual(redactText(s.text));
      expect(b.redact(s.text)).toEqual(redactText(s.text));
    }
  });
});

describe('entropy heuristic', () => {
  it('accepts random keys and rejects names, paths and hex', () => {
    expect(looksRandom('Zx8uK2pQ9vW3mN7bR4tY6hJ1cF5gD0sA2eL8kPqT')).toBe(true);
    expect(looksRandom('3f2a9c1e0b7d4a5f6e8c9b0a1d2e3f4a5b6c7d8e')).toBe(false);
    expect(looksRandom('550e8400-e29b-41d4-a716-446655440000')).toBe(false);
    expect(looksRandom('AbstractSingletonProxyFactoryBean2Impl')).toBe(false);
    expect(looksRandom('kMaxNumberOfConcurrentStreamsPerConnection64')).toBe(false);
    expect(looksRandom('short1A')).toBe(false);
  });

  it('shannon entropy is 0 for one repeated char and log2(n) for n distinct', () => {
    expect(shannon('aaaa')).toBe(0);
    expect(shannon('abcd')).toBeCloseTo(2);
  });
});

describe('redactText: hostile input stays linear', () => {
  const N = 1_000_000;
  const cases: [string, string][] = [
    ['many BEGIN lines, no END', '-----BEGIN RSA PRIVATE KEY-----\n!\n'.repeat(N / 34)],
    ['many public BEGIN lines, no END', '-----BEGIN PUBLIC KEY-----\nabc\n'.repeat(N / 30)],
    ['one 1 MB base64 run', Array.from({ length: N }, (_, i) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[(i * 7919) % 64]).join('')],
    ['assignment spam', 'password='.repeat(N / 9)],
    ['URL spam', 'https://user:'.repeat(N / 13)],
  ];
  it.each(cases)('%s', (_name, text) => {
    const t = performance.now();
    redactText(text);
    // ~1 MB/s would already be a pathology; a quadratic case takes minutes.
    expect(performance.now() - t).toBeLessThan(5000);
  });

  it('several PEM blocks in one text are each redacted', () => {
    const block = (t: string) => `-----BEGIN ${t}PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END ${t}PRIVATE KEY-----`;
    const text = `a\n${block('RSA ')}\nb\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\nc\n${block('')}\nd`;
    expect(redactText(text).text).toBe('a\n[REDACTED:private-key]\nb\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\nc\n[REDACTED:private-key]\nd');
  });
});
