/** The pure cores of `init` (the file map of a new admin repository) and `upgrade` (moving pins, what changed). */
import { readRelease } from '../../commands/release';
import { CALLER_WORKFLOWS, parseManifest, pinDisagreements } from '../../gitops/admin-repository';
import { renderCallers, renderTemplate, scaffoldAdminRepository } from '../../gitops/scaffold';
import { changelogBetween, compareVersions, lineDiff, planUpgrade } from '../../gitops/upgrade';
import { gitopsEnv } from '../../gitops/gitops-config';
import { parseRoster } from '../../roster';

const release = readRelease();
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const pin = { repository: 'learning-rooms/learning-rooms', ref: A, version: '0.1.0' };
const options = { pin, owner: 'acme', template: 'acme/tmpl', cohort: '2026-spring' };

describe('scaffold', () => {
  test('a whole admin repository: records, settings, callers pinned, the form, the required files; no lock file, no code', () => {
    const { files, problems } = scaffoldAdminRepository(release, options);
    expect(problems).toEqual([]);
    const paths = [...files.keys()].sort();
    expect(paths).toEqual(
      [
        '.github/ISSUE_TEMPLATE/register.yml',
        ...CALLER_WORKFLOWS.map((f) => `.github/workflows/${f}`),
        '.gitignore',
        '.learning-rooms.json',
        'README.md',
        'config/gitops.json',
        'roster.json',
        ...[...release.requiredFiles.keys()].map((p) => `required-files/${p}`),
      ].sort(),
    );
    expect(paths.some((p) => /package\.json|\.ts$|bin\/|\.terraform\.lock\.hcl/.test(p))).toBe(false);
    const roster = parseRoster(String(files.get('roster.json'))).roster!;
    expect(roster.cohorts).toEqual([
      { cohort_id: '2026-spring', required_files: [...release.requiredFiles.keys()].sort() },
    ]);
    expect(roster.learners).toEqual([]);
    expect(gitopsEnv(String(files.get('config/gitops.json'))).env).toMatchObject({
      PROVISIONING_STUDENT_OWNER: 'acme',
      LEARNING_ROOM_TEMPLATE_REPO: 'acme/tmpl',
    });
    expect(parseManifest(String(files.get('.learning-rooms.json'))).manifest).toEqual({ format_version: 1, ...pin });
    const callers = new Map(
      CALLER_WORKFLOWS.map((f) => [`.github/workflows/${f}`, String(files.get(`.github/workflows/${f}`))]),
    );
    expect(pinDisagreements(callers, pin)).toEqual([]);
    for (const [path, text] of files)
      expect({ path, placeholder: /\{\{[a-z-]+\}\}/.test(String(text)) }).toEqual({ path, placeholder: false });
    expect(String(files.get('README.md'))).toContain(`git checkout ${A}`);
    expect(files.get('.github/ISSUE_TEMPLATE/register.yml')).toBe(release.issueForm);
  });

  test('every problem with the options at once, each naming its option; nothing written', () => {
    const r = scaffoldAdminRepository(release, {
      pin: { repository: 'x', ref: 'main', version: 'v1' },
      owner: '-bad-',
      template: 'no-slash',
      cohort: 'Not An Id',
    });
    expect(r.files.size).toBe(0);
    expect(r.problems.map((p) => p.split(':')[0])).toEqual([
      '--tool-repository',
      '--tool-ref',
      '--version',
      '--owner',
      '--template',
      '--cohort',
    ]);
    expect(r.problems[5]).toContain('cohort 1, cohort_id: expected an identifier');
  });

  test("a placeholder without a value is the release's problem, named", () => {
    expect(renderTemplate('t.yml', 'a {{tool-ref}} {{nope}} ${{ github.sha }}', { 'tool-ref': A })).toEqual({
      text: `a ${A} {{nope}} \${{ github.sha }}`,
      problems: ['t.yml: no value for the placeholder {{nope}}'],
    });
    const broken = renderCallers({ templates: new Map([['.github/workflows/plan.yml', 'x']]) }, {});
    expect(broken.problems).toContain(
      'templates/admin-repository/.github/workflows/apply.yml: missing from this release',
    );
  });
});

describe('upgrade', () => {
  const files = scaffoldAdminRepository(release, options).files;
  const callers = new Map(
    CALLER_WORKFLOWS.map((f) => [`.github/workflows/${f}`, String(files.get(`.github/workflows/${f}`))]),
  );
  const manifest = parseManifest(String(files.get('.learning-rooms.json'))).manifest!;
  const to = { ...pin, ref: B, version: '0.2.0' };
  const templates = renderCallers(release, {
    'tool-repository': to.repository,
    'tool-ref': to.ref,
    version: to.version,
  }).files;

  test("moves every pin and the manifest; the callers then equal the release's templates", () => {
    const plan = planUpgrade({ callers, manifest, to, templates, replaceTemplates: false });
    expect(plan.problems).toEqual([]);
    expect([...plan.writes.keys()].sort()).toEqual([...callers.keys(), '.learning-rooms.json'].sort());
    expect(pinDisagreements(new Map([...plan.writes].filter(([p]) => p.endsWith('.yml'))), to)).toEqual([]);
    expect(plan.templateDiff.every((l) => l.endsWith("same as the release's template"))).toBe(true);
    expect(parseManifest(plan.writes.get('.learning-rooms.json')!).manifest).toEqual({ format_version: 1, ...to });
  });

  test('a hand-edited pin stops everything, naming the file and line; --templates replaces instead', () => {
    const edited = new Map(callers);
    edited.set('.github/workflows/plan.yml', callers.get('.github/workflows/plan.yml')!.replace(`@${A}`, '@main'));
    const refused = planUpgrade({ callers: edited, manifest, to, templates, replaceTemplates: false });
    expect(refused.writes.size).toBe(0);
    expect(refused.problems).toEqual([
      expect.stringMatching(
        /^\.github\/workflows\/plan\.yml, line \d+: `uses:` is main, the manifest's tool_ref a{40}: cannot move this pin safely/,
      ),
    ]);
    const replaced = planUpgrade({ callers: edited, manifest, to, templates, replaceTemplates: true });
    expect(replaced.problems).toEqual([]);
    expect(replaced.writes.get('.github/workflows/plan.yml')).toBe(templates.get('.github/workflows/plan.yml'));
  });

  test("a caller that differs from the new template is reported with line counts; an operator's own workflow is left alone", () => {
    const own = new Map(callers);
    own.set('.github/workflows/apply.yml', `${callers.get('.github/workflows/apply.yml')!}# our note\n# another\n`);
    own.set('.github/workflows/extra.yml', 'on: push\njobs: {}\n');
    own.delete('.github/workflows/register.yml');
    const plan = planUpgrade({ callers: own, manifest, to, templates, replaceTemplates: false });
    expect(plan.writes.has('.github/workflows/extra.yml')).toBe(false);
    expect(plan.templateDiff).toContain(
      ".github/workflows/apply.yml: +0 -2 lines against the release's template; rerun with --templates to take it",
    );
    expect(plan.templateDiff).toContainEqual(
      expect.stringMatching(
        /^\.github\/workflows\/register\.yml: new in this release \(\d+ lines\); rerun with --templates to add it$/,
      ),
    );
  });

  test('line diff, version order, changelog sections between two versions', () => {
    expect(lineDiff('a\nb\nc', 'a\nc\nd\ne')).toEqual({ added: 2, removed: 1 });
    expect(lineDiff('same', 'same')).toEqual({ added: 0, removed: 0 });
    expect(['0.10.0', '0.2.0', '1.0.0-rc.1', '1.0.0', '0.2.0'].sort(compareVersions)).toEqual([
      '0.2.0',
      '0.2.0',
      '0.10.0',
      '1.0.0-rc.1',
      '1.0.0',
    ]);
    const log =
      '# Changelog\n\nintro\n\n## 0.3.0 (2026-12-01)\n\n- three\n\n## Unreleased notes\n\n- x\n\n## 0.2.0\n\n- two\n\n## 0.1.0\n\n- one\n';
    expect(changelogBetween(log, '0.1.0', '0.3.0')).toEqual(['## 0.3.0 (2026-12-01)\n\n- three', '## 0.2.0\n\n- two']);
    expect(changelogBetween(log, '0.2.0', '0.2.0')).toEqual([]);
    expect(changelogBetween(release.changelog, '0.0.0', release.version)[0]).toMatch(
      new RegExp(`^## ${release.version.replace(/\./g, '\\.')}`),
    );
  });
});
