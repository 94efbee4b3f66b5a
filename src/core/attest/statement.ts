// The claim a signed check makes, as an in-toto Statement v1 with the test-result
// predicate (https://in-toto.io/attestation/test-result/v0.1). Subject: the exact git tree
// the command ran on (`gitTree` digest), named by the session. Predicate: PASSED/FAILED,
// the check's name, and a configuration listing what it ran with (ResourceDescriptors:
// the command, node/git/OS versions, lockfile and installed-dependency digests, the
// allow-listed environment). Everything a verifier relies on is inside the signed bytes.

/** `_type` of an in-toto Statement v1. */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** The in-toto test-result predicate. */
export const TEST_RESULT = 'https://in-toto.io/attestation/test-result/v0.1';

/** An in-toto ResourceDescriptor (the fields we write). */
export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest?: Record<string, string>;
  annotations?: Record<string, unknown>;
}

/** Where the command ran: the session's own worktree (ignored files such as node_modules present) or a fresh one. */
export type Workspace = 'in-place' | 'clean';

/** What one signed check claims (read back from, and written into, a statement). */
export interface CheckClaim {
  session: string;
  /** The tree the command ran on. */
  tree: string;
  /** The commit that tree was checked against: the session's base, or the target tip a merged tree was made with. */
  base: string;
  target: string;
  /** A merged tree (`land --check`) rather than the session's own. */
  merged: boolean;
  /** The check's name (`--name`, else the command line). */
  name: string;
  argv: string[];
  exitCode: number;
  durationMs: number;
  workspace: Workspace;
  /** Id of the `check` event the statement belongs to. */
  event: string;
  /** When it ran (ISO): the time allowed signers' validity windows are judged at. */
  time: string;
  /** What it ran with (versions, digests, environment). */
  environment: ResourceDescriptor[];
}

/** The statement for a claim. */
export function statementOf(c: CheckClaim): Record<string, unknown> {
  const passed = c.exitCode === 0;
  return {
    _type: STATEMENT_TYPE,
    subject: [
      {
        name: `git-session:${c.session}`,
        digest: { gitTree: c.tree },
        annotations: { session: c.session, base: c.base, target: c.target, merged: c.merged },
      },
    ],
    predicateType: TEST_RESULT,
    predicate: {
      result: passed ? 'PASSED' : 'FAILED',
      configuration: [
        {
          name: 'command',
          annotations: { check: c.name, argv: c.argv, exitCode: c.exitCode, durationMs: c.durationMs, workspace: c.workspace, event: c.event, time: c.time },
        },
        ...c.environment,
      ],
      [passed ? 'passedTests' : 'failedTests']: [c.name],
    },
  };
}

const OID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads a claim back from statement bytes; throws a short reason when they are not ours. */
export function parseStatement(payload: Buffer): CheckClaim {
  let st: unknown;
  try {
    st = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new Error('the statement is not JSON');
  }
  if (!isObj(st) || st._type !== STATEMENT_TYPE) throw new Error('not an in-toto Statement v1');
  if (st.predicateType !== TEST_RESULT) throw new Error(`predicate type ${String(st.predicateType).slice(0, 80)} is not a test result`);
  const subj = Array.isArray(st.subject) ? st.subject[0] : undefined;
  const ann = isObj(subj) && isObj(subj.annotations) ? subj.annotations : {};
  const tree = isObj(subj) && isObj(subj.digest) ? subj.digest.gitTree : undefined;
  if (typeof tree !== 'string' || !OID.test(tree)) throw new Error('the subject has no gitTree digest');
  const pred = isObj(st.predicate) ? st.predicate : {};
  const config = Array.isArray(pred.configuration) ? pred.configuration.filter(isObj) : [];
  const cmd = config.find((d) => d.name === 'command');
  const ca = cmd && isObj(cmd.annotations) ? cmd.annotations : undefined;
  if (!ca) throw new Error('the statement names no command');
  const { check, argv, exitCode, durationMs, workspace, event, time } = ca;
  const result = pred.result;
  if (
    typeof ann.session !== 'string' || typeof ann.base !== 'string' || typeof ann.target !== 'string' || typeof ann.merged !== 'boolean' ||
    typeof check !== 'string' || !Array.isArray(argv) || !argv.every((a) => typeof a === 'string') ||
    typeof exitCode !== 'number' || typeof durationMs !== 'number' || (workspace !== 'in-place' && workspace !== 'clean') ||
    typeof event !== 'string' || typeof time !== 'string' || !Number.isFinite(Date.parse(time)) ||
    (result !== 'PASSED' && result !== 'FAILED')
  ) {
    throw new Error('the statement is missing fields of a check');
  }
  if ((result === 'PASSED') !== (exitCode === 0)) throw new Error(`the result ${result} contradicts exit code ${exitCode}`);
  return {
    session: ann.session, tree, base: ann.base, target: ann.target, merged: ann.merged, name: check, argv: argv as string[], exitCode, durationMs, workspace, event, time,
    environment: config.filter((d) => d !== cmd) as ResourceDescriptor[],
  };
}
