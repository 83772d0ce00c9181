import { COMMANDS } from '../../cli/commands';
import { cli } from '../helpers/cli';

/** The lines of one section of a help text: from its heading to the next blank line. */
function section(help: string, heading: string): string[] {
  const start = help.split('\n').findIndex((l) => l.startsWith(heading));
  if (start < 0) return [];
  const rest = help.split('\n').slice(start + 1);
  const end = rest.findIndex((l) => l === '');
  return end < 0 ? rest : rest.slice(0, end);
}

const ORDER = ['Usage', 'Arguments', 'Options', 'Environment', 'Exit status'];

describe('learning-rooms <command> --help', () => {
  it.each(Object.keys(COMMANDS))(
    '%s: the same shape as every command, listing every option its parser accepts',
    async (name) => {
      const cmd = await COMMANDS[name]();
      const res = await cli([name, '--help']);
      expect(res.code).toBe(0);
      expect(res.stderr).toBe('');
      const help = res.stdout;
      expect(help.startsWith(`Usage: learning-rooms ${name} `)).toBe(true);
      // Usage, a description, then the sections in this order; Exit status last.
      const headings = help
        .split('\n')
        .filter((l) => ORDER.some((h) => l.startsWith(`${h}:`)))
        .map((l) => l.split(':')[0]);
      expect(headings).toEqual(ORDER.filter((h) => headings.includes(h)));
      expect(headings).toEqual(expect.arrayContaining(['Usage', 'Options', 'Exit status']));
      expect(help).toMatch(/\n\n[A-Z][^\n]+\n/); // the description paragraph after the usage
      expect(help).toMatch(/\nExit status: 0 [^\n]*(\n {2}[^\n]+)*\n$/);

      const options = section(help, 'Options:');
      for (const flag of cmd.flags)
        expect(options.join('\n')).toMatch(new RegExp(`(^|[\\s(])${flag}([\\s),.]|$)`, 'm'));
      expect(cmd.flags.length).toBeGreaterThan(0);
      // Aligned: every option's description starts in one column.
      const rows = options.filter((l) => /^ {2}-/.test(l));
      const columns = new Set(rows.map((l) => /^ {2}\S(?:\S| \S)* {2,}/.exec(l)?.[0].length));
      expect([...columns]).toHaveLength(1);
      // One row per option (old spellings share their option's row), and one for --help.
      expect(rows.length).toBe(
        cmd.flags.filter((f) => options.some((l) => new RegExp(`^ {2}${f}( |$)`).test(l))).length + 1,
      );
    },
  );

  it('every command that reads the roster takes it as the argument and as --roster FILE', async () => {
    for (const name of Object.keys(COMMANDS)) {
      const cmd = await COMMANDS[name]();
      if (!cmd.flags.includes('--roster') || name === 'verify-log') continue;
      const flat = cmd.usage.replace(/\s+/g, ' ');
      expect({ name, flat }).toEqual({
        name,
        flat: expect.stringMatching(
          / Arguments: roster\.json .*?; or --roster FILE, the same Options: --roster FILE the same as the argument roster\.json /,
        ),
      });
    }
  });

  it('lists every command in the overview', async () => {
    const res = await cli(['--help']);
    expect(res.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(res.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });
});
