/**
 * The GitHub double's world for a rehearsal, derived from the roster alone: the rooms' owner, each
 * cohort's template repository (a course: each assignment's, default the cohort's), with the
 * required files present or absent, every learner, facilitator and team member as a user, and one GitHub App with two installations on the owner holding exactly the permissions
 * docs/gitops.md asks of the provisioning App and of the read-only App (the rehearsal's key pair
 * stands in for both Apps' keys: the double authenticates one App).
 */
import { foldHandle } from '../roster/handle';
import type { Roster } from '../roster/types';
import { ROLES, type AppRole } from '../gitops/doctor-checks';
import type { Credentials } from './workflow-steps';

export type TemplateFiles = 'present' | 'absent';
export const TEMPLATE_FILES: readonly TemplateFiles[] = ['present', 'absent'];

/** The App the rehearsal creates (ids are arbitrary; they only have to agree with the step environments). */
export const REHEARSAL_APP = {
  id: 1000,
  slug: 'learning-rooms-rehearsal',
  installations: { provisioning: 1001, 'read-only': 1002 } satisfies Record<Credentials, number>,
} as const;

const ROLE_TITLES: Record<Credentials, string> = { provisioning: 'provisioning App', 'read-only': 'read-only App' };

/** The permissions of one App role: what doctor checks (docs/gitops.md), plus Metadata: read, which every App has. */
export function appPermissions(credentials: Credentials, roles: readonly AppRole[] = ROLES): Record<string, string> {
  const role = roles.find((r) => r.title === ROLE_TITLES[credentials]);
  if (!role) throw new Error(`no ${ROLE_TITLES[credentials]} in the documented App roles`);
  return { ...role.needs, metadata: 'read' };
}

export interface SeedRepo {
  owner: string;
  name: string;
  visibility: 'private' | 'public';
  is_template: true;
  description: string;
  files: Record<string, string>;
  labels: string[];
}

/** The part of the double's seed format a rehearsal uses (docs/github-double.md, "Seed format"). */
export interface RehearsalSeed {
  $comment: string;
  orgs: { login: string; name: string }[];
  users: string[];
  app: {
    id: number;
    slug: string;
    publicKey: string;
    installations: { id: number; account: string; permissions: Record<string, string> }[];
  };
  repos: SeedRepo[];
}

export interface SeedInput {
  roster: Roster;
  /** PROVISIONING_STUDENT_OWNER of the run. */
  owner: string;
  /** LEARNING_ROOM_TEMPLATE_REPO of the run, for cohorts without their own template. */
  defaultTemplate: string;
  /** The required files' texts by path (from the required-files folder). */
  requiredFiles: ReadonlyMap<string, string>;
  templateFiles: TemplateFiles;
  publicKeyPem: string;
}

const README = (template: string) =>
  `# ${template.split('/')[1]}\n\nThe learning room template, as the rehearsal made it (learning-rooms rehearse).\n`;

export function rehearsalSeed(input: SeedInput): RehearsalSeed {
  const { roster, owner } = input;
  const templates = new Map<
    string,
    { name: string; owner: string; files: Record<string, string>; labels: Set<string> }
  >();
  const addTemplate = (full: string, label: string, requiredFiles: readonly string[]) => {
    const [tOwner, tName] = full.split('/');
    const key = full.toLowerCase();
    const t = templates.get(key) ?? {
      owner: tOwner,
      name: tName,
      files: { 'README.md': README(full) },
      labels: new Set(),
    };
    t.labels.add(label);
    if (input.templateFiles === 'present')
      for (const path of requiredFiles) {
        const text = input.requiredFiles.get(path);
        if (text !== undefined) t.files[path] = text;
      }
    templates.set(key, t);
  };
  for (const cohort of roster.cohorts) {
    const label = cohort.challenge_label ?? 'challenge';
    const template = cohort.template ?? input.defaultTemplate;
    // A course's rooms come from each assignment's template (default the cohort's), with its required files.
    if (cohort.assignments?.length)
      for (const a of cohort.assignments)
        addTemplate(a.template ?? template, label, a.required_files ?? cohort.required_files ?? []);
    else addTemplate(template, label, cohort.required_files ?? []);
  }
  const orgs = new Map<string, string>([[foldHandle(owner), owner]]);
  for (const t of templates.values()) if (!orgs.has(foldHandle(t.owner))) orgs.set(foldHandle(t.owner), t.owner);
  const users = new Map<string, string>();
  const addUser = (login: string) => {
    const k = foldHandle(login);
    if (!users.has(k) && !orgs.has(k)) users.set(k, login);
  };
  for (const l of roster.learners) addUser(l.github_handle);
  // A course's people besides its learners: the facilitators, and every team member (learners, as validate requires).
  for (const cohort of roster.cohorts) {
    for (const h of cohort.facilitators?.handles ?? []) addUser(h);
    for (const a of cohort.assignments ?? []) for (const t of a.teams ?? []) t.members.forEach(addUser);
  }
  return {
    $comment: 'Written by learning-rooms rehearse from the roster: the world the GitHub double started with.',
    orgs: [...orgs.values()].map((login) => ({ login, name: `${login} (rehearsal)` })),
    users: [...users.values()],
    app: {
      id: REHEARSAL_APP.id,
      slug: REHEARSAL_APP.slug,
      publicKey: input.publicKeyPem,
      installations: (['provisioning', 'read-only'] as const).map((c) => ({
        id: REHEARSAL_APP.installations[c],
        account: owner,
        permissions: appPermissions(c),
      })),
    },
    repos: [...templates.values()].map((t) => ({
      owner: t.owner,
      name: t.name,
      // A template of another account is public, as one shared between organizations is on GitHub:
      // the installation on the owner could not read it otherwise.
      visibility: foldHandle(t.owner) === foldHandle(owner) ? 'private' : 'public',
      is_template: true,
      description: 'The learning room every learner gets a copy of',
      files: t.files,
      labels: [...t.labels],
    })),
  };
}
