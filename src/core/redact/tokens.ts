// Secrets with a recognisable prefix, as data: one row per format. A row says which
// literal starts the token, which alphabet its body is drawn from, how long the body
// may be, and optionally a shape the whole token must have, an entropy floor and the
// character classes the body must mix. The engine (prefixed.ts) measures the body as
// the maximal run of its alphabet after the prefix, so no row is a regular expression
// that could backtrack; `shape` is only ever run on a candidate already cut to at most
// `max` characters. To add a format, add a row here and a generator for it in
// bench/redact-corpus.ts (the corpus test then proves it in every context).
import type { ClassName } from './classes.js';

/** One prefixed-token format. */
export interface TokenRule {
  /** Stable rule id (several rules may share a kind). */
  id: string;
  /** The kind named in the marker: `[REDACTED:<kind>]`. */
  kind: string;
  /** Literal starts of the token, case-sensitive. */
  prefixes: string[];
  /** Alphabet of the body that follows the prefix. */
  body: ClassName;
  /** Body length bounds (the body is the maximal run of its alphabet). */
  min: number;
  max: number;
  /** The whole token (prefix + body) must match this anchored, bounded pattern. */
  shape?: RegExp;
  /** Minimum Shannon entropy of the body, in bits per character. */
  entropy?: number;
  /** Classes the body must contain: U upper, L lower, D digit. */
  needs?: string;
  /** Public by design (ships to browsers): recognised so no other rule redacts it, then kept. */
  public?: boolean;
}

function t(id: string, kind: string, prefixes: string[], body: ClassName, min: number, max: number, more: Partial<TokenRule> = {}): TokenRule {
  return { id, kind, prefixes, body, min, max, ...more };
}

/** Every prefixed format, most specific prefix first where prefixes overlap. */
export const TOKEN_RULES: TokenRule[] = [
  // Cloud providers
  t('aws-access-key-id', 'aws-access-key', ['AKIA', 'ASIA', 'ABIA', 'ACCA'], 'upnum', 16, 16, { entropy: 2 }),
  t('aws-access-key-id-a3t', 'aws-access-key', ['A3T'], 'upnum', 17, 17, { entropy: 2 }),
  t('aws-bedrock-long-term', 'aws-bedrock-key', ['ABSK'], 'b64pad', 100, 400, { entropy: 3.5 }),
  t('aws-bedrock-short-term', 'aws-bedrock-key', ['bedrock-api-key-'], 'b64pad', 50, 4000, { entropy: 3.5 }),
  t('gcp-api-key', 'google-api-key', ['AIza'], 'b64url', 35, 35, { entropy: 3.5 }),
  t('gcp-oauth-client-secret', 'google-api-key', ['GOCSPX-'], 'b64url', 20, 40, { entropy: 3 }),
  t('gcp-oauth-access-token', 'google-api-key', ['ya29.'], 'b64url', 30, 2048, { entropy: 3.5 }),
  t('alibaba-access-key-id', 'alibaba-key', ['LTAI'], 'alnum', 12, 24, { entropy: 3, needs: 'D' }),
  t('digitalocean-token', 'digitalocean-token', ['doo_v1_', 'dop_v1_', 'dor_v1_'], 'hex', 64, 64),
  t('cloudflare-origin-ca-key', 'cloudflare-key', ['v1.0-'], 'b64url', 171, 171, { shape: /^v1\.0-[a-f0-9]{24}-[a-f0-9]{146}$/ }),
  t('heroku-api-key-v2', 'heroku-key', ['HRKU-'], 'b64url', 60, 60, { entropy: 3.5 }),
  t('openshift-user-token', 'openshift-token', ['sha256~'], 'b64url', 43, 43, { entropy: 3.5 }),
  t('flyio-token', 'flyio-token', ['fo1_'], 'b64url', 43, 43, { entropy: 3.5 }),
  t('flyio-macaroon', 'flyio-token', ['fm1a_', 'fm1r_', 'fm2_'], 'b64pad', 100, 8000, { entropy: 3.5 }),
  t('scalingo-token', 'scalingo-token', ['tk-us-'], 'b64url', 48, 48),
  t('yandex-api-key', 'yandex-key', ['AQVN'], 'b64url', 35, 38, { entropy: 3.5 }),
  t('supabase-token', 'supabase-token', ['sbp_'], 'hex', 40, 40),
  t('netlify-token', 'netlify-token', ['nfp_'], 'alnum', 36, 40, { entropy: 3.5 }),
  t('tailscale-key', 'tailscale-key', ['tskey-'], 'b64url', 30, 90, { entropy: 3.5 }),
  // Code hosting, registries, CI
  t('github-pat-fine-grained', 'github-token', ['github_pat_'], 'word', 40, 255, { entropy: 3 }),
  t('github-token', 'github-token', ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], 'alnum', 30, 251, { entropy: 3 }),
  t('gitlab-token', 'gitlab-token', ['glpat-', 'gldt-', 'glrt-', 'glcbt-', 'glft-', 'glimt-', 'glagent-', 'gloas-', 'glsoat-', 'glffct-'], 'dotted', 20, 300, { entropy: 3 }),
  t('gitlab-pipeline-trigger-token', 'gitlab-token', ['glptt-'], 'hex', 40, 40),
  t('gitlab-runner-registration-token', 'gitlab-token', ['GR1348941'], 'b64url', 20, 20, { entropy: 3 }),
  t('npm-token', 'npm-token', ['npm_'], 'alnum', 36, 36, { entropy: 3 }),
  t('pypi-token', 'pypi-token', ['pypi-AgEIcHlwaS5vcmc'], 'b64url', 50, 1000),
  t('rubygems-token', 'rubygems-token', ['rubygems_'], 'hex', 48, 48),
  t('clojars-token', 'clojars-token', ['CLOJARS_'], 'alnum', 60, 60),
  t('artifactory-api-key', 'artifactory-token', ['AKCp'], 'alnum', 69, 73, { entropy: 4 }),
  t('artifactory-reference-token', 'artifactory-token', ['cmVmd'], 'alnum', 59, 64, { entropy: 4 }),
  t('docker-hub-pat', 'docker-token', ['dckr_pat_'], 'b64url', 27, 40),
  t('buildkite-token', 'buildkite-token', ['bkua_'], 'hex', 40, 40),
  t('octopus-deploy-api-key', 'octopus-key', ['API-'], 'upnum', 26, 26, { entropy: 3, needs: 'D' }),
  t('pulumi-token', 'pulumi-token', ['pul-'], 'hex', 40, 40),
  t('prefect-token', 'prefect-token', ['pnu_'], 'alnum', 36, 36, { entropy: 3 }),
  t('readme-token', 'readme-token', ['rdme_'], 'lownum', 70, 70),
  t('infracost-token', 'infracost-token', ['ico-'], 'alnum', 32, 32, { entropy: 3.5 }),
  // Chat and collaboration
  t('slack-config-token', 'slack-token', ['xoxe.xoxb-', 'xoxe.xoxp-'], 'b64url', 100, 200),
  t('slack-token', 'slack-token', ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxo-', 'xoxs-', 'xoxe-', 'xapp-'], 'b64url', 10, 250, { entropy: 2.5, needs: 'D' }),
  t('atlassian-api-token', 'atlassian-token', ['ATATT3'], 'dotted', 150, 250, { entropy: 4 }),
  t('linear-api-key', 'linear-key', ['lin_api_'], 'word', 32, 128, { entropy: 3 }),
  t('notion-token', 'notion-token', ['ntn_'], 'alnum', 40, 50, { entropy: 3.5 }),
  t('notion-legacy-token', 'notion-token', ['secret_'], 'alnum', 43, 43, { entropy: 4, needs: 'ULD' }),
  t('airtable-pat', 'airtable-token', ['pat'], 'dotted', 79, 79, { shape: /^pat[A-Za-z0-9]{14}\.[a-f0-9]{64}$/ }),
  t('harness-token', 'harness-token', ['pat.', 'sat.'], 'dotted', 68, 68, { shape: /^[ps]at\.[\w-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}$/ }),
  t('figma-token', 'figma-token', ['figd_'], 'b64url', 40, 44),
  t('frameio-token', 'frameio-token', ['fio-u-'], 'dotted', 64, 64),
  t('dropbox-short-lived-token', 'dropbox-token', ['sl.'], 'dotted', 130, 1500, { entropy: 4 }),
  t('twitter-bearer-token', 'twitter-token', ['AAAAAAAAAAAAAAAAAAAAA'], 'pct', 80, 130, { entropy: 4 }),
  t('facebook-access-token', 'facebook-token', ['EAAC', 'EAAM', 'EAAG', 'EAAB'], 'alnum', 100, 400, { entropy: 4 }),
  t('mapbox-public-token', 'mapbox-token', ['pk.eyJ'], 'dotted', 80, 300, { public: true }),
  t('recaptcha-site-key', 'recaptcha-key', ['6L'], 'b64url', 38, 38, { public: true, entropy: 3.5 }),
  t('mapbox-secret-token', 'mapbox-token', ['sk.eyJ'], 'dotted', 80, 300, { entropy: 4 }),
  // AI providers
  t('anthropic-key', 'anthropic-key', ['sk-ant-'], 'b64url', 20, 250),
  t('openai-project-key', 'openai-key', ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-None-'], 'b64url', 20, 250, { entropy: 3.5 }),
  t('openai-key', 'openai-key', ['sk-'], 'b64url', 32, 250, { entropy: 3.5, needs: 'ULD' }),
  t('huggingface-token', 'huggingface-token', ['hf_'], 'alnum', 30, 40, { entropy: 3.5 }),
  t('huggingface-org-token', 'huggingface-token', ['api_org_'], 'alpha', 30, 40, { entropy: 3.5 }),
  t('perplexity-key', 'perplexity-key', ['pplx-'], 'alnum', 48, 48, { entropy: 3.5 }),
  t('groq-key', 'groq-key', ['gsk_'], 'alnum', 52, 52, { entropy: 3.5 }),
  t('xai-key', 'xai-key', ['xai-'], 'alnum', 80, 80, { entropy: 3.5 }),
  t('replicate-token', 'replicate-token', ['r8_'], 'alnum', 37, 40, { entropy: 3.5 }),
  t('langsmith-key', 'langsmith-key', ['lsv2_pt_', 'lsv2_sk_'], 'word', 40, 60, { entropy: 3.5 }),
  // Payments and commerce
  t('stripe-key', 'stripe-key', ['sk_live_', 'sk_test_', 'sk_prod_', 'rk_live_', 'rk_test_', 'rk_prod_'], 'alnum', 10, 247, { entropy: 2.5 }),
  t('stripe-publishable-key', 'stripe-key', ['pk_live_', 'pk_test_'], 'alnum', 10, 247, { public: true }),
  t('stripe-webhook-secret', 'stripe-key', ['whsec_'], 'alnum', 20, 100, { entropy: 3 }),
  t('square-token', 'square-token', ['sq0atp-', 'sq0csp-'], 'b64url', 22, 60, { entropy: 3 }),
  t('square-access-token', 'square-token', ['EAAA'], 'b64url', 60, 60, { entropy: 3.5 }),
  t('shopify-token', 'shopify-token', ['shpat_', 'shpca_', 'shppa_', 'shpss_'], 'anyhex', 32, 32),
  t('shippo-token', 'shippo-token', ['shippo_live_', 'shippo_test_'], 'anyhex', 40, 40),
  t('duffel-token', 'duffel-token', ['duffel_test_', 'duffel_live_'], 'dotted', 43, 43),
  t('easypost-key', 'easypost-key', ['EZAK', 'EZTK'], 'alnum', 54, 54, { entropy: 3.5 }),
  // Mail, messaging, monitoring
  t('sendgrid-key', 'sendgrid-key', ['SG.'], 'dotted', 50, 100, { shape: /^SG\.[\w-]{16,32}\.[\w-]{16,64}$/ }),
  t('sendinblue-key', 'sendinblue-key', ['xkeysib-'], 'b64url', 81, 81, { shape: /^xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}$/ }),
  t('mailgun-key', 'mailgun-key', ['key-'], 'hex', 32, 32, { entropy: 3 }),
  t('twilio-api-key', 'twilio-key', ['SK'], 'anyhex', 32, 32, { entropy: 3 }),
  t('postman-key', 'postman-key', ['PMAK-'], 'b64url', 59, 59, { shape: /^PMAK-[a-f0-9]{24}-[a-f0-9]{34}$/i }),
  t('sentry-user-token', 'sentry-token', ['sntryu_'], 'hex', 64, 64),
  t('sentry-org-token', 'sentry-token', ['sntrys_'], 'b64word', 60, 600, { entropy: 4 }),
  t('newrelic-user-key', 'newrelic-key', ['NRAK-'], 'upnum', 27, 27, { entropy: 3 }),
  t('newrelic-insert-key', 'newrelic-key', ['NRII-'], 'b64url', 32, 32, { entropy: 3 }),
  t('grafana-cloud-token', 'grafana-token', ['glc_'], 'b64pad', 32, 400, { entropy: 3.5 }),
  t('grafana-service-account-token', 'grafana-token', ['glsa_'], 'word', 41, 41, { entropy: 3.5 }),
  t('grafana-api-key', 'grafana-token', ['eyJrIjoi'], 'b64pad', 60, 400, { entropy: 3.5 }),
  t('databricks-token', 'databricks-token', ['dapi'], 'hex', 32, 32, { entropy: 3 }),
  t('doppler-token', 'doppler-token', ['dp.pt.', 'dp.st.', 'dp.ct.', 'dp.sa.', 'dp.scim.', 'dp.audit.'], 'alnum', 40, 44, { entropy: 3.5 }),
  t('dynatrace-token', 'dynatrace-token', ['dt0c01.'], 'dotted', 89, 89, { shape: /^dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}$/ }),
  // Secret stores and keys
  t('onepassword-service-token', 'onepassword-token', ['ops_ey'], 'b64pad', 50, 4000),
  t('onepassword-secret-key', 'onepassword-token', ['A3-'], 'updash', 30, 40, {
    shape: /^A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}$/,
  }),
  t('vault-service-token', 'vault-token', ['hvs.'], 'b64url', 90, 120, { entropy: 3.5 }),
  t('vault-batch-token', 'vault-token', ['hvb.'], 'b64url', 138, 300, { entropy: 3.5 }),
  t('vault-legacy-token', 'vault-token', ['s.'], 'alnum', 24, 24, { entropy: 3.5, needs: 'ULD' }),
  t('age-secret-key', 'age-key', ['AGE-SECRET-KEY-1'], 'upnum', 58, 58),
  t('adobe-client-secret', 'adobe-secret', ['p8e-'], 'alnum', 32, 32, { entropy: 3 }),
  t('intra42-secret', 'intra42-secret', ['s-s4t2ud-', 's-s4t2af-'], 'hex', 64, 64),
  t('planetscale-token', 'planetscale-token', ['pscale_tkn_', 'pscale_oauth_', 'pscale_pw_'], 'dotted', 32, 64, { entropy: 3 }),
];

/** Every kind a token rule can report. */
export const TOKEN_KINDS: string[] = [...new Set(TOKEN_RULES.filter((r) => !r.public).map((r) => r.kind))];
