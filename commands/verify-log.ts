import { resolve } from 'node:path';
import { verifyLogFile } from '../provisioning/verify-log';
import { escapeControls } from '../shared/terminal-text';
import { defineCommand } from './command';

export const verifyLogCommand = defineCommand({
  name: 'verify-log',
  summary: 'check the provisioning log’s hash chain and say which entry was tampered with',
  usage: ['[provisioning-log.json] [--base FILE] [--roster FILE] [--json]'],
  description: `Recomputes every entry's hash and follows the chain. Reports each entry that was edited,
removed, inserted or reordered, with its position and learner, and each entry whose time is
impossible: dated in the future, or before an entry already in the log (beyond a 10-minute
clock skew either way). The argument is the log (as --log FILE for record), so the roster is
given as --roster FILE here.`,
  argument: {
    name: 'provisioning-log.json',
    option: 'log',
    value: 'FILE',
    help: 'the log to check',
    default: 'provisioning-log.json',
  },
  options: {
    base: {
      type: 'string',
      value: 'FILE',
      help: 'an earlier copy of the log (e.g. `git show HEAD~1:provisioning-log.json`): it must be a prefix of this one (catches entries cut from the end)',
    },
    roster: {
      type: 'string',
      value: 'FILE',
      help: "every learner's provisioning.last_run_id must have an entry in the log",
    },
    json: { type: 'boolean', help: 'print {ok, entries, head, findings} as JSON' },
  },
  exitStatus: '0 intact, 1 problems found, 2 usage error or unreadable file.',
  async run({ values, file = 'provisioning-log.json' }, io) {
    const at = (p: string) => resolve(io.cwd, p);
    const r = verifyLogFile(at(file), {
      ...(values.base ? { basePath: at(values.base) } : {}),
      ...(values.roster ? { rosterPath: at(values.roster) } : {}),
    });
    const ok = r.findings.length === 0;
    // Findings quote the log's own fields (learner, cohort, run): control characters are shown escaped.
    if (values.json) {
      const json = JSON.stringify({ ok, entries: r.entries, head: r.head, findings: r.findings }, null, 2);
      io.stdout(json.split('\n').map(escapeControls).join('\n') + '\n');
      return ok ? 0 : 1;
    }
    if (ok) {
      io.stdout(`${file}: intact, ${r.entries} entr${r.entries === 1 ? 'y' : 'ies'}, head ${r.head}\n`);
      return 0;
    }
    io.stderr(r.findings.map((f) => escapeControls(`${file}: ${f.message}`)).join('\n') + '\n');
    io.stderr(`${file}: ${r.findings.length} problem${r.findings.length === 1 ? '' : 's'}\n`);
    return 1;
  },
});
