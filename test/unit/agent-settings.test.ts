import fc from 'fast-check';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { hookCommand, notifyArgv } from '../../src/core/agents/ours.js';
import { installJson, ourHooks, uninstallJson } from '../../src/core/agents/settings-json.js';
import { installToml, ourCodex, TOML_MARK, uninstallToml } from '../../src/core/agents/settings-toml.js';

const L = '/opt/git session/bin/git-session';
const claudeWanted = ['SessionStart', 'UserPromptSubmit', 'PostToolUse', 'Stop'].map((event) => ({ event, entry: { type: 'command', command: hookCommand(L, 'claude-code', event), timeout: 30 } }));
const codexWanted = ['SessionStart', 'UserPromptSubmit', 'PostToolUse', 'Stop'].map((event) => ({ event, command: hookCommand(L, 'codex', event), timeout: 30 }));

const CLAUDE_SETTINGS = `{
  // permissions first, as I like them
  "permissions": { "allow": ["Bash(npm test)"] }, /* keep */
  "hooks": {
    "Stop": [ { "hooks": [ { "type": "command", "command": "notify-send done" } ] } ],
    "PostToolUse": [
      {
        "matcher": "Write|Edit",
        "hooks": [
          { "type": "command", "command": "prettier --write \\"$CLAUDE_PROJECT_DIR\\"" }
        ]
      }
    ]
  },
  "model": "opus"
}
`;

describe('settings.json (Claude Code, Gemini CLI)', () => {
  it('adds our groups after the user\'s, keeps every comment and key, and is idempotent', () => {
    const once = installJson(CLAUDE_SETTINGS, 's.json', 'claude-code', claudeWanted);
    expect(installJson(once, 's.json', 'claude-code', claudeWanted)).toBe(once);
    expect(once).toContain('// permissions first, as I like them');
    expect(once).toContain('/* keep */');
    expect(once).toContain('"prettier --write \\"$CLAUDE_PROJECT_DIR\\""');
    const v = parseJsonc(once);
    expect(v.hooks.Stop[0].hooks[0].command).toBe('notify-send done');
    expect(v.hooks.Stop[1].hooks[0].command).toBe(hookCommand(L, 'claude-code', 'Stop'));
    expect(v.hooks.PostToolUse[0].matcher).toBe('Write|Edit');
    expect([...ourHooks(v, 'claude-code').keys()].sort()).toEqual(['PostToolUse', 'SessionStart', 'Stop', 'UserPromptSubmit']);
    expect(Object.keys(v)).toEqual(['permissions', 'hooks', 'model']);
  });

  it('uninstall gives the text back byte for byte', () => {
    const once = installJson(CLAUDE_SETTINGS, 's.json', 'claude-code', claudeWanted);
    expect(uninstallJson(once, 's.json', 'claude-code')).toBe(CLAUDE_SETTINGS);
    expect(uninstallJson(CLAUDE_SETTINGS, 's.json', 'claude-code')).toBe(CLAUDE_SETTINGS);
  });

  it('replaces an entry of ours whose launcher moved, and leaves another agent\'s entries alone', () => {
    const old = installJson('', 's.json', 'claude-code', claudeWanted.map((w) => ({ ...w, entry: { ...w.entry, command: hookCommand('git-session', 'claude-code', w.event) } })));
    const moved = installJson(old, 's.json', 'claude-code', claudeWanted);
    expect(ourHooks(parseJsonc(moved), 'claude-code').get('Stop')).toEqual([hookCommand(L, 'claude-code', 'Stop')]);
    const withGemini = installJson(moved, 's.json', 'gemini', [{ event: 'AfterTool', entry: { type: 'command', command: hookCommand(L, 'gemini', 'AfterTool') } }]);
    expect(ourHooks(parseJsonc(uninstallJson(withGemini, 's.json', 'claude-code')), 'gemini').size).toBe(1);
  });

  it('refuses a file that is not JSON, and writes nothing', () => {
    expect(() => installJson('{ "a": ', 's.json', 'claude-code', claudeWanted)).toThrow(/s\.json is not valid JSON/);
    expect(() => installJson('[1]', 's.json', 'claude-code', claudeWanted)).toThrow(/does not hold a JSON object/);
    expect(() => installJson('{"hooks": {"Stop": 3}}', 's.json', 'claude-code', claudeWanted)).toThrow(/hooks\.Stop is not a list/);
  });

  it('round-trips any user settings: install then uninstall is the identity (property)', () => {
    const userHook = fc.record({ type: fc.constant('command'), command: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes('git-session')) });
    const settings = fc.record(
      {
        model: fc.string(),
        env: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string()),
        // Non-empty: a hooks object or event list our removal leaves empty goes too (the record of
        // what we wrote restores an untouched file byte for byte; see test/cli/hooks.test.ts).
        hooks: fc.dictionary(fc.constantFrom('Stop', 'PostToolUse', 'Notification'), fc.array(fc.record({ matcher: fc.string({ maxLength: 6 }), hooks: fc.array(userHook, { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 2 }), { minKeys: 1 }),
        extra: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(settings, fc.constantFrom(0, 2, 4, '\t'), (v, indent) => {
        const text = JSON.stringify(v, null, indent) + '\n';
        const on = installJson(text, 's.json', 'claude-code', claudeWanted);
        const back = uninstallJson(on, 's.json', 'claude-code');
        expect(back).toBe(text);
      }),
      { numRuns: 150 },
    );
  });
});

const CODEX_CONFIG = `# my codex config
model = "gpt-5-codex" # favourite

[features]
web_search = true

# my own hook
[[hooks.Stop]]
[[hooks.Stop.hooks]]
type = "command"
command = "say done"

[profiles.work]
model = "o3"
`;

describe('config.toml (Codex)', () => {
  it('appends our groups and puts notify first; the user\'s hook, comments and tables stay', () => {
    const r = installToml(CODEX_CONFIG, 'c.toml', codexWanted, notifyArgv(L));
    expect(r.notify).toBe('added');
    expect(r.text).toMatch(/^# git-session live capture of each turn .*\nnotify = \[/);
    expect(r.text).toContain(CODEX_CONFIG.slice(0, CODEX_CONFIG.length - 1));
    const v = parseToml(r.text) as any;
    expect(v.hooks.Stop.map((g: any) => g.hooks[0].command)).toEqual(['say done', hookCommand(L, 'codex', 'Stop')]);
    expect(v.notify).toEqual(notifyArgv(L));
    expect(ourCodex(v).notify).toBe('ours');
    expect(installToml(r.text, 'c.toml', codexWanted, notifyArgv(L))).toEqual({ text: r.text, notify: 'present' });
    expect(uninstallToml(r.text, 'c.toml')).toBe(CODEX_CONFIG);
  });

  it("leaves the user's own notify program alone", () => {
    const theirs = `notify = ["terminal-notifier", "-title", "Codex"]\n${CODEX_CONFIG}`;
    const r = installToml(theirs, 'c.toml', codexWanted, notifyArgv(L));
    expect(r.notify).toBe('theirs');
    expect((parseToml(r.text) as any).notify).toEqual(['terminal-notifier', '-title', 'Codex']);
    expect(uninstallToml(r.text, 'c.toml')).toBe(theirs);
  });

  it('removes only our handler from a group the user added a handler to', () => {
    const r = installToml(CODEX_CONFIG, 'c.toml', codexWanted, undefined).text;
    const mixed = r.replace(`command = ${JSON.stringify(hookCommand(L, 'codex', 'Stop'))}\ntimeout = 30`, `command = ${JSON.stringify(hookCommand(L, 'codex', 'Stop'))}\ntimeout = 30\n\n[[hooks.Stop.hooks]]\ntype = "command"\ncommand = "mine too"`);
    const out = parseToml(uninstallToml(mixed, 'c.toml')) as any;
    expect(out.hooks.Stop.map((g: any) => g.hooks.map((h: any) => h.command))).toEqual([['say done'], ['mine too']]);
    expect(ourCodex(out).hooks.size).toBe(0);
  });

  it('refuses what it cannot edit safely: not TOML, hooks defined inline', () => {
    expect(() => installToml('a = ', 'c.toml', codexWanted)).toThrow(/c\.toml is not valid TOML/);
    expect(() => installToml('hooks = { Stop = [] }\n', 'c.toml', codexWanted)).toThrow(/could not add our entries safely|not valid TOML/);
  });

  it('round-trips any user config: install then uninstall is the identity (property)', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean());
    const config = fc.record(
      {
        model: fc.string({ maxLength: 10 }),
        approval_policy: fc.constantFrom('on-request', 'never'),
        notify: fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
        features: fc.dictionary(key, fc.boolean()).map((f) => ({ ...f, hooks: true })),
        profiles: fc.dictionary(key, fc.dictionary(key, scalar)),
        hooks: fc.dictionary(fc.constantFrom('Stop', 'PreToolUse'), fc.array(fc.record({ hooks: fc.array(fc.record({ type: fc.constant('command'), command: fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('git-session')) }), { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 2 })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(config, (v) => {
        const text = stringifyToml(v) + '\n';
        const on = installToml(text, 'c.toml', codexWanted, notifyArgv(L)).text;
        expect(uninstallToml(on, 'c.toml')).toBe(text);
      }),
      { numRuns: 150 },
    );
  });
});
