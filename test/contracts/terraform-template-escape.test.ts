import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeTerraformTemplate } from '../../contracts/terraform-template';

const TERRAFORM = '/usr/local/bin/terraform';

const SAMPLES: Record<string, string> = {
  workflow: 'run: echo "hello ${{ github.actor }}" # ${{ secrets.X }}\n',
  directive: '%{ if x }yes%{ endif }',
  alreadyEscaped: 'keep $${literal} and %%{literal}',
  manySigils: '$$$${ a } %%%{ b } $$ % $ end$',
  loneSigils: 'price: $5, 100% sure, {braces} ${',
  unicodeAndQuotes: 'naïve "quotes" \\ back\\slash\n\ttab ${x}',
};

describe('escapeTerraformTemplate', () => {
  it('doubles the sigil of every template opener and nothing else', () => {
    expect(escapeTerraformTemplate('a ${{ b }} %{ c } $d %e {f}')).toBe('a $${{ b }} %%{ c } $d %e {f}');
    expect(escapeTerraformTemplate('$${x}')).toBe('$$${x}');
    expect(escapeTerraformTemplate('')).toBe('');
  });

  const run = existsSync(TERRAFORM) ? it : it.skip;
  run('round-trips through Terraform to the original text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lr-escape-'));
    try {
      const output: Record<string, { value: string }> = {};
      for (const [name, text] of Object.entries(SAMPLES)) output[name] = { value: escapeTerraformTemplate(text) };
      const config = {
        resource: { terraform_data: { probe: { input: escapeTerraformTemplate(SAMPLES.workflow) } } },
        output: { ...output, via_resource: { value: '${terraform_data.probe.output}' } },
      };
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config));
      // A CLI config file that may be missing only causes a warning; point it at nothing to keep stderr quiet.
      const env = { ...process.env, TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: '/dev/null' };
      const opts = { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[] };
      execFileSync(TERRAFORM, ['init', '-input=false', '-no-color'], opts);
      execFileSync(TERRAFORM, ['apply', '-auto-approve', '-input=false', '-no-color'], opts);
      const got = JSON.parse(execFileSync(TERRAFORM, ['output', '-json'], opts).toString('utf8')) as Record<
        string,
        { value: string }
      >;
      for (const [name, text] of Object.entries(SAMPLES)) expect(got[name].value).toBe(text);
      expect(got.via_resource.value).toBe(SAMPLES.workflow);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
