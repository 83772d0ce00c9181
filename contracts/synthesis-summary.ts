/**
 * What synthesis says about a run as a whole, beside the stacks (`cdktf.out/synthesis.json`):
 * the admission sentence ("59 of 100 new rooms this run; 41 next run at about 10:37 UTC: @a, ..."),
 * the budget it came from and the warnings. The plan comment and the run summaries read it.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../shared/atomic-write';
import { readUtf8File } from '../shared/text-input';

export const SYNTHESIS_SUMMARY_FILE = 'synthesis.json';

export interface SynthesisSummary {
  format_version: 1;
  admission: string;
  budget: string;
  warnings: string[];
}

export function writeSynthesisSummary(outdir: string, summary: Omit<SynthesisSummary, 'format_version'>): string {
  const path = join(outdir, SYNTHESIS_SUMMARY_FILE);
  writeFileAtomic(path, JSON.stringify({ format_version: 1, ...summary }, null, 2) + '\n');
  return path;
}

/** The summary in `dir`, or undefined when there is none (an older synthesis). */
export function readSynthesisSummary(dir: string): SynthesisSummary | undefined {
  const path = join(dir, SYNTHESIS_SUMMARY_FILE);
  if (!existsSync(path)) return undefined;
  const raw: unknown = JSON.parse(readUtf8File(path));
  const ok =
    typeof raw === 'object' &&
    raw !== null &&
    (raw as SynthesisSummary).format_version === 1 &&
    typeof (raw as SynthesisSummary).admission === 'string' &&
    typeof (raw as SynthesisSummary).budget === 'string' &&
    Array.isArray((raw as SynthesisSummary).warnings);
  if (!ok) throw new Error(`${path}: expected {format_version: 1, admission, budget, warnings}`);
  return raw as SynthesisSummary;
}
