import { COMMANDS } from '../../cli/commands';
import { cli } from '../helpers/cli';

describe('learning-rooms <command> --help', () => {
  it.each(Object.keys(COMMANDS))('%s: exits 0 with its usage, including what each exit status means', async (name) => {
    const res = await cli([name, '--help']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    expect(res.stdout.startsWith(`Usage: learning-rooms ${name}`)).toBe(true);
    expect(res.stdout).toMatch(/Exit status: 0 /);
  });

  it('lists every command in the overview', async () => {
    const res = await cli(['--help']);
    expect(res.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(res.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });
});
