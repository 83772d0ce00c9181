/** The rehearsal tests' world: the roster of the recorded first apply, in a workshop folder, and the fake terraform first on PATH. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeTerraform, type FakeScenario, type FakeTerraform } from './fake-terraform';

/** The 2026-spring cohort of the example roster as the recorded first apply (01-first-apply) saw it. */
export const ROSTER = {
  format_version: 1,
  cohorts: [
    {
      cohort_id: '2026-spring',
      template: 'learning-rooms-example/learning-room-template',
      repository_pattern: '{cohort}-{handle}',
      required_files: ['.github/workflows/progress.yml', '.github/workflows/ack.yml'],
      challenge_label: 'challenge',
    },
  ],
  learners: ['alice-nguyen', 'BobOkafor', 'carol-d'].map((h) => ({
    github_handle: h,
    cohort_id: '2026-spring',
    path: 'web',
    provisioning: { state: 'pending' },
  })),
};

export interface World {
  root: string;
  roster: string;
  out: string;
  tf: FakeTerraform;
  /** The operator's environment: the fake first on PATH, and credentials and settings that must not reach any step. */
  env: NodeJS.ProcessEnv;
}

export function world(scenario: FakeScenario = {}, roster: unknown = ROSTER): World {
  const root = mkdtempSync(join(tmpdir(), 'lr-rehearse-'));
  mkdirSync(join(root, 'workshop'));
  writeFileSync(join(root, 'workshop', 'roster.json'), JSON.stringify(roster, null, 2));
  const tf = fakeTerraform(root, scenario);
  return {
    root,
    roster: join(root, 'workshop', 'roster.json'),
    out: join(root, 'out'),
    tf,
    env: {
      PATH: `${tf.bin}:${process.env.PATH}`,
      HOME: root,
      GITHUB_TOKEN: 'the-operators-own-token',
      GITHUB_APP_ID: '999',
      GITHUB_APP_PEM_FILE: 'not-this-key',
      PROVISIONING_STUDENT_OWNER: 'somewhere-else',
      TF_CLI_CONFIG_FILE: join(root, 'no-such.tfrc'),
    },
  };
}

/** The double's URL as the rehearsal printed it. */
export function doubleUrl(stdout: string): URL {
  const m = /the GitHub double: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
  if (!m) throw new Error(`no double URL in:\n${stdout}`);
  return new URL(m[1]);
}

/** Whether anything listens on the port (a refused connection: nothing does). */
export function listening(url: URL): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(Number(url.port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
