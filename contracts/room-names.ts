/**
 * Learning room repository names: deterministic from the cohort and the learner through a pattern.
 * The handle is lower-cased (GitHub logins are case-insensitive, so a roster edit from "Alice" to
 * "alice" must not rename the room). GitHub accepts at most 100 characters of A-Za-z0-9 . _ - and
 * silently rewrites anything else, so a name outside the rule is an error here, never a surprise there.
 */
import { foldHandle } from '../roster/handle';
import type { Cohort, Learner } from '../roster/types';

const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;

export function repositoryNameFor(pattern: string, cohortId: string, handle: string): string {
  return pattern.replace(/\{cohort\}/g, cohortId).replace(/\{handle\}/g, foldHandle(handle));
}

/**
 * A roster learner's room as far as the roster tells (no Terraform state): the learner's own
 * `repository` (an adopted room), else the cohort's `repository_pattern`, else `defaultPattern`.
 * Progress, reconstruct and the plan guard find rooms by it; synthesis names them the same way.
 */
export function roomRepositoryName(
  learner: Pick<Learner, 'github_handle' | 'cohort_id' | 'repository'>,
  cohort: Pick<Cohort, 'repository_pattern'> | undefined,
  defaultPattern: string,
): string {
  return (
    learner.repository ??
    repositoryNameFor(cohort?.repository_pattern ?? defaultPattern, learner.cohort_id, learner.github_handle)
  );
}

/** Why GitHub would not accept `name` as a repository name, or undefined. */
export function repositoryNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'expected a non-empty repository name';
  if (name.length > 100) return `expected at most 100 characters, found ${name.length} in "${name}"`;
  if (!REPOSITORY_NAME.test(name)) return `expected only A-Za-z0-9 . _ - in "${name}"`;
  if (name === '.' || name === '..') return `"${name}" is reserved`;
  return undefined;
}

export interface NamedLearner {
  github_handle: string;
  cohort_id: string;
  repository: string;
}

/**
 * Learners whose rooms would share a repository (GitHub compares names case-insensitively),
 * one message per clash naming every learner involved.
 */
export function repositoryCollisions(learners: readonly NamedLearner[], owner: string): string[] {
  const byName = new Map<string, NamedLearner[]>();
  for (const l of learners) {
    const key = l.repository.toLowerCase();
    const list = byName.get(key);
    if (list) list.push(l);
    else byName.set(key, [l]);
  }
  const problems: string[] = [];
  for (const list of byName.values()) {
    if (list.length < 2) continue;
    const who = list.map((l) => `"${l.github_handle}" (cohort ${l.cohort_id})`).join(' and ');
    problems.push(
      `learners ${who} would share the repository ${owner}/${list[0].repository}; give one of them a "repository" in the roster or change the cohort's repository_pattern`,
    );
  }
  return problems;
}
