import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeTerraformTemplate } from '../../contracts/terraform-template';
import { readTemplate, templateExcerpt } from '../../contracts/terraform-template';
import { terraform, terraformEnv, TERRAFORM_PLATFORM, whenTerraform } from '../helpers/terraform';

/** Every string over a small alphabet of the characters that matter, up to `max` long. */
function allStrings(alphabet: string[], max: number): string[] {
  const out: string[] = [''];
  let layer = [''];
  for (let n = 1; n <= max; n++) {
    layer = layer.flatMap((s) => alphabet.map((c) => s + c));
    out.push(...layer);
  }
  return out;
}

/** Deterministic longer strings (a linear congruential generator: the same list every run). */
function randomStrings(alphabet: string[], count: number, maxLength: number): string[] {
  let seed = 20261129;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + (next() % maxLength) }, () => alphabet[next() % alphabet.length]).join(''),
  );
}

const ALPHABET = ['$', '%', '{', '}', 'a', '~', 'é', '\n'];

describe('readTemplate: how Terraform reads a JSON string', () => {
  test('escapes and lone sigils are literal; an unescaped opener is a template', () => {
    expect(readTemplate('$${x} %%{y} $ % 100% $5 end$')).toEqual({
      literal: true,
      value: '${x} %{y} $ % 100% $5 end$',
    });
    expect(readTemplate('$$${x}')).toEqual({ literal: true, value: '$${x}' });
    expect(readTemplate('a ${x}')).toEqual({ literal: false, at: 2 });
    expect(readTemplate('%{ if x }')).toEqual({ literal: false, at: 0 });
    expect(readTemplate('$%{x}')).toEqual({ literal: false, at: 1 });
    expect(readTemplate('%${x}')).toEqual({ literal: false, at: 1 });
  });

  test('is the inverse of synthesis escaping: escaped text reads back as itself', () => {
    for (const s of [...allStrings(['$', '%', '{', 'x'], 5), ...randomStrings(ALPHABET, 500, 16)]) {
      expect(readTemplate(escapeTerraformTemplate(s))).toEqual({ literal: true, value: s });
    }
  });

  test('excerpts name the evaluated part', () => {
    expect(templateExcerpt('a ${file("/x")} b', 2)).toBe('${file("/x")}');
    expect(templateExcerpt(`\${${'x'.repeat(100)}`, 0, 10)).toBe('${xxxxxxxx...');
  });

  /**
   * One Terraform run for all strings. Strings we read as literal must come out of Terraform as our
   * unescaped value (a template among them would change or fail the run); strings we read as
   * templates (hand-picked, so that they evaluate) must come out changed.
   */
  const TEMPLATES = [
    '${"Q"}',
    'a${"Q"}b',
    '%{ if true }Q%{ endif }',
    '$%{ if true }Q%{ endif }',
    '%${"Q"}',
    '${~ "Q" ~}',
    'x$${"y"}${"Q"}',
    '${"$"}{x}',
    'é${"Q"}',
    '${"$${"}',
    '$$$${"Q"}${"Q"}',
    '%%{x}%{ if false }%{ endif }',
    '\\${"Q"}',
  ];
  const LITERALS = [
    '$${x}',
    '$$${x}',
    '$$$${x}',
    '%%{',
    '$${',
    '$',
    '%',
    'end$',
    'end%',
    '$$',
    '%%',
    '$%',
    '%$',
    '$}',
    '{$',
    '$ {x}',
    '$${~ x ~}',
    '%%{~ if x ~}',
    'naïve ✓ 😀 $${é}',
    '"$${"',
    'a\n$${\nb',
  ];
  (TERRAFORM_PLATFORM ? test : test.skip)(
    whenTerraform('agrees with Terraform 1.11 on tricky and generated strings'),
    async () => {
      const generated = [...allStrings(ALPHABET, 4), ...randomStrings([...ALPHABET, '$${', '%%{', '"'], 400, 14)];
      const literals = [...new Set([...LITERALS, ...generated.filter((s) => readTemplate(s).literal)])];
      for (const t of TEMPLATES) expect(readTemplate(t).literal).toBe(false);
      for (const l of LITERALS) expect(readTemplate(l).literal).toBe(true);
      expect(literals.length).toBeGreaterThan(2000);

      const dir = mkdtempSync(join(tmpdir(), 'lr-template-'));
      writeFileSync(
        join(dir, 'main.tf.json'),
        JSON.stringify({
          locals: { literals, templates: TEMPLATES },
          output: { literals: { value: '${local.literals}' }, templates: { value: '${local.templates}' } },
        }),
      );
      const env = terraformEnv();
      const init = await terraform(['init', '-input=false'], dir, env);
      expect(init.stderr.slice(0, 1500)).toBe('');
      const apply = await terraform(['apply', '-auto-approve', '-input=false'], dir, env);
      expect(apply.stderr.slice(0, 1500)).toBe('');
      const out = JSON.parse((await terraform(['output', '-json'], dir, env)).stdout) as {
        literals: { value: string[] };
        templates: { value: string[] };
      };
      const disagreements = literals.filter((s, i) => {
        const r = readTemplate(s);
        return !r.literal || out.literals.value[i] !== r.value;
      });
      expect(disagreements).toEqual([]);
      TEMPLATES.forEach((t, i) => expect(out.templates.value[i]).not.toBe(t));
      expect(out.templates.value[7]).toBe('${x}');
    },
    30_000,
  );
});
