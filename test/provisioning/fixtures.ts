/** Shared helpers for the provisioning tests: the recorded Terraform fixtures and learner indexes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collaboratorAddress, fileAddress, repositoryAddress } from '../../contracts/room-addresses';
import type { LearnerIndex, LearnerIndexEntry } from '../../contracts/learner-index';
import {
  parsePlanJson,
  parseTerraformStream,
  TerraformPlanJson,
  TerraformStream,
} from '../../contracts/terraform-plan';
import { REQUIRED_FILES } from '../../test-kit/generated-plan';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'terraform');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function fixturePlan(name: string): TerraformPlanJson {
  return parsePlanJson(fixtureText(name), name).plan;
}

export function fixtureStream(name: string): TerraformStream {
  return parseTerraformStream(fixtureText(name), name);
}

/**
 * The learner index synthesis would write for the fixtures' cohort. Its addresses follow our
 * scheme, not the cdktf-style addresses of the recorded runs: attribution must then fall back to
 * the repository names, as it would for a configuration synthesized under another scheme.
 */
export function springIndex(
  admitted: string[],
  queued: Record<string, string> = {},
  cohort = '2026-spring',
): LearnerIndex {
  const entry = (handle: string, isAdmitted: boolean): LearnerIndexEntry => {
    const e: LearnerIndexEntry = {
      github_handle: handle,
      cohort_id: cohort,
      repository: `${cohort}-${handle.toLowerCase()}`,
      admitted: isAdmitted,
      addresses: {
        repository: repositoryAddress(handle),
        collaborator: collaboratorAddress(handle),
        files: Object.fromEntries(REQUIRED_FILES.map((p) => [p, fileAddress(handle, p)])),
      },
    };
    if (!isAdmitted) e.queued_reason = queued[handle];
    // In these tests a reason starting "archived:" marks a room synthesis archives on purpose.
    if (!isAdmitted && queued[handle]?.startsWith('archived:')) e.archived = true;
    return e;
  };
  return {
    format_version: 1,
    cohort_id: cohort,
    stack: `cohort-${cohort}`,
    owner: 'acme',
    learners: [...admitted.map((h) => entry(h, true)), ...Object.keys(queued).map((h) => entry(h, false))],
  };
}
