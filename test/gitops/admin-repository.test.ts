/** The pin of an admin repository: the manifest, the pin sites of a caller, agreement, rewriting. */
import {
  parseManifest,
  pinDisagreements,
  readPinSites,
  rewritePins,
  serializeManifest,
} from '../../gitops/admin-repository';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const pin = { repository: 'learning-rooms/learning-rooms', ref: A, version: '0.1.0' };
const caller = (ref = A, inputRef = ref, repo = 'learning-rooms/learning-rooms') => `name: Apply
on:
  push:
    branches: [main]
jobs:
  synth:
    # uses: learning-rooms/learning-rooms/.github/workflows/old.yml@${B} (a comment is no pin)
    uses: ${repo}/.github/workflows/synth.yml@${ref} # v0.1.0
    with:
      tool-repository: ${repo}
      tool-ref: ${inputRef}
  apply:
    uses: ${repo}/.github/workflows/apply-stacks.yml@${ref} # v0.1.0
    with:
      tool-repository: ${repo}
      tool-ref: '${inputRef}'
      stacks: \${{ needs.synth.outputs.stacks }}
`;

describe('the manifest', () => {
  test('round-trips, and every problem is named at once', () => {
    expect(parseManifest(serializeManifest(pin))).toEqual({ manifest: { format_version: 1, ...pin }, errors: [] });
    const bad = parseManifest(
      JSON.stringify({ format_version: 2, tool_repository: 'nope', tool_ref: 'main', version: 'latest', extra: 1 }),
      'm.json',
    );
    expect(bad.manifest).toBeUndefined();
    expect(bad.errors).toEqual([
      'm.json: format_version: expected 1, found 2',
      'm.json: "extra": unknown field (expected format_version, tool_repository, tool_ref, version)',
      'm.json: tool_repository: expected owner/name of a GitHub repository (e.g. learning-rooms/learning-rooms), found "nope"',
      'm.json: tool_ref: expected a full commit SHA (40 lower-case hex digits; a branch or tag can move), found "main"',
      'm.json: version: expected a version such as 0.1.0, found "latest"',
    ]);
    expect(parseManifest('{').errors[0]).toMatch(/^\.learning-rooms\.json: expected JSON/);
    expect(parseManifest('{"format_version":1}').errors).toEqual([
      '.learning-rooms.json: tool_repository: expected a string, found nothing',
      '.learning-rooms.json: tool_ref: expected a string, found nothing',
      '.learning-rooms.json: version: expected a string, found nothing',
    ]);
  });
});

describe('pin sites', () => {
  test("uses: of another repository's workflow and the two inputs; not comments, actions or local calls", () => {
    const text = `${caller()}  local:\n    uses: ./.github/workflows/x.yml\n  steps-only:\n    steps:\n      - uses: actions/checkout@${B} # v4.2.2\n`;
    const sites = readPinSites('apply.yml', text);
    expect(
      sites.map(
        (s) => `${s.line}:${s.kind}:${s.repository ?? ''}:${s.workflow ?? ''}:${s.ref ?? ''}:${s.version ?? ''}`,
      ),
    ).toEqual([
      `8:uses:learning-rooms/learning-rooms:synth.yml:${A}:0.1.0`,
      '10:tool-repository:learning-rooms/learning-rooms:::',
      `11:tool-ref:::${A}:`,
      `13:uses:learning-rooms/learning-rooms:apply-stacks.yml:${A}:0.1.0`,
      '15:tool-repository:learning-rooms/learning-rooms:::',
      `16:tool-ref:::${A}:`, // quotes are YAML's, not the ref's
    ]);
  });

  test('disagreements name the file and line; agreement is empty', () => {
    expect(pinDisagreements(new Map([['apply.yml', caller()]]), pin)).toEqual([]);
    expect(pinDisagreements(new Map([['apply.yml', caller(A, B)]]), pin)).toEqual([
      `apply.yml, line 11: tool-ref is ${B}, the manifest's tool_ref ${A}`,
      `apply.yml, line 16: tool-ref is ${B}, the manifest's tool_ref ${A}`,
    ]);
    expect(pinDisagreements(new Map([['apply.yml', caller(A, A, 'fork/lr')]]), pin)[0]).toBe(
      'apply.yml, line 8: `uses:` names fork/lr, the manifest learning-rooms/learning-rooms',
    );
    expect(pinDisagreements(new Map([['x.yml', caller().replace(/\n\s+tool-ref: '.*'\n/, '\n')]]), pin)).toEqual([
      'x.yml: 2 reusable workflow call(s) but 2 tool-repository and 1 tool-ref input(s); each call passes both',
    ]);
    expect(pinDisagreements(new Map([['x.yml', caller('main')]]), pin)[0]).toBe(
      `x.yml, line 8: \`uses:\` is main, the manifest's tool_ref ${A}`,
    );
  });
});

describe('rewriting pins', () => {
  const to = { repository: 'learning-rooms/learning-rooms', ref: B, version: '0.2.0' };

  test('changes the pin lines only: SHA, repository and version comment', () => {
    const before = caller();
    const r = rewritePins('apply.yml', before, pin, to);
    if (!('text' in r)) throw new Error(r.problems.join('\n'));
    expect(r.changed).toBe(4);
    expect(r.text).toBe(
      caller(B)
        .replace(/# v0\.1\.0/g, '# v0.2.0')
        .replace(`tool-ref: '${B}'`, `tool-ref: ${B}`),
    );
    const changed = before.split('\n').filter((l, i) => l !== r.text.split('\n')[i]);
    expect(changed.every((l) => /uses:|tool-ref:/.test(l))).toBe(true);
    // Again: nothing left to move.
    const again = rewritePins('apply.yml', r.text, to, to);
    expect('text' in again && again.changed).toBe(0);
  });

  test('refuses a hand-edited pin, naming file and line, and moves a repository when asked', () => {
    expect(rewritePins('apply.yml', caller(A, B), pin, to)).toEqual({
      problems: expect.arrayContaining([`apply.yml, line 11: tool-ref is ${B}, the manifest's tool_ref ${A}`]),
    });
    const moved = rewritePins('apply.yml', caller(), pin, { ...to, repository: 'fork/lr' });
    expect('text' in moved && moved.text).toContain(
      `uses: fork/lr/.github/workflows/synth.yml@${B} # v0.2.0\n    with:\n      tool-repository: fork/lr\n`,
    );
  });
});
