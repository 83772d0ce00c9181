/**
 * Migrating a one-stack cohort into shards with the real Terraform (`terraform state mv` on raw
 * version-4 state files needs no provider): no resource is lost or duplicated, the moved rooms are
 * in their new stacks with every address, the roster records their shards, and synthesis then
 * configures every room where its state is, archiving nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRoster, serializeRoster } from '../../roster';
import { readSettings } from '../../contracts/settings';
import { parseKnownRooms } from '../../contracts/terraform-state';
import { planCohorts } from '../../synthesis/cohort-plan';
import { planShardMigration } from '../../synthesis/shard-migration';
import { learner, roster } from '../../test-kit/rosters';
import { rawState } from '../helpers/state';
import { whenTerraform, TERRAFORM_PLATFORM } from '../helpers/terraform';
import { cli } from '../helpers/cli';

const FILES = ['.github/workflows/ack.yml', 'notes.md'];
const provisioned = { state: 'provisioned' as const, provisioned_at: '2026-01-01T00:00:00Z' };

function world() {
  // seven rooms made before shards, one learner who left the roster (being archived), one withdrawn
  const r = roster([
    ...Array.from({ length: 7 }, (_, i) => learner(`l${i}`, 'c1', { provisioning: provisioned })),
    learner('w', 'c1', { provisioning: { ...provisioned, state: 'archived' } }),
  ]);
  r.cohorts[0].required_files = FILES;
  const rooms = [...r.learners.map((l) => l.github_handle), 'gone'].map((h) => ({
    handle: h,
    repository: `c1-${h}`,
    files: FILES,
  }));
  return { r, state: rawState(rooms) };
}

/** Every (address, repository) in a raw state file. */
function resources(path: string): string[] {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as {
    resources: { type: string; name: string; instances: { attributes: { name?: string; repository?: string } }[] }[];
  };
  return doc.resources
    .flatMap((res) =>
      res.instances.map((i) => `${res.type}.${res.name}=${i.attributes.name ?? i.attributes.repository}`),
    )
    .sort();
}

describe('planShardMigration', () => {
  it('keeps the first S learners of the roster, moves the rest with all their addresses, leaves withdrawn and departed rooms', () => {
    const { r, state } = world();
    const plan = planShardMigration(r, 'c1', new Map([['c1', parseKnownRooms(state, 'c1.tfstate')]]), 3);
    expect(plan.moves.map((m) => [m.github_handle, m.to])).toEqual([
      ['l3', 'c1.shard-1'],
      ['l4', 'c1.shard-1'],
      ['l5', 'c1.shard-1'],
      ['l6', 'c1.shard-2'],
    ]);
    expect(plan.moves[0].addresses).toEqual([
      'github_repository.learner-l3',
      'github_repository_collaborator.learner-l3',
      'github_repository_file.learner-l3--github_workflows_ack_yml',
      'github_repository_file.learner-l3--notes_md',
    ]);
    expect(plan.problems).toEqual([]);
  });

  it('moves nothing when every stack is within its size', () => {
    const { r, state } = world();
    expect(planShardMigration(r, 'c1', new Map([['c1', parseKnownRooms(state, 'c1.tfstate')]]), 7).moves).toEqual([]);
  });
});

(TERRAFORM_PLATFORM ? describe : describe.skip)(whenTerraform('migrate-shards with the real Terraform'), () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lr-migrate-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('moves four rooms into two new stacks: nothing lost, nothing duplicated, the roster records the shards', async () => {
    const { r, state } = world();
    writeFileSync(join(dir, 'roster.json'), serializeRoster(r));
    writeFileSync(join(dir, 'c1.tfstate'), state);
    const before = resources(join(dir, 'c1.tfstate'));

    const dry = await cli(['migrate-shards', '--cohort', 'c1', '--state-dir', '.', '--shard-size', '3', '--dry-run'], {
      cwd: dir,
      env: { PATH: process.env.PATH },
    });
    expect(dry.stdout).toContain('c1: shard size 3; 4 rooms to move (16 resource addresses)');
    expect(readdirSync(dir).sort()).toEqual(['c1.tfstate', 'roster.json']);

    const res = await cli(['migrate-shards', '--cohort', 'c1', '--state-dir', '.', '--shard-size', '3'], {
      cwd: dir,
      env: { PATH: process.env.PATH },
    });
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
    const after = {
      c1: resources(join(dir, 'c1.tfstate')),
      s1: resources(join(dir, 'c1.shard-1.tfstate')),
      s2: resources(join(dir, 'c1.shard-2.tfstate')),
    };
    const all = [...after.c1, ...after.s1, ...after.s2].sort();
    expect(all).toEqual(before); // zero lost, zero duplicated, attributes carried
    const handles = (list: string[]) =>
      [...new Set(list.map((a) => /learner-([a-z0-9-]+?)(?:--|=)/.exec(a)![1]))].sort();
    expect(handles(after.c1)).toEqual(['gone', 'l0', 'l1', 'l2', 'w']);
    expect(handles(after.s1)).toEqual(['l3', 'l4', 'l5']);
    expect(handles(after.s2)).toEqual(['l6']);
    expect(after.s1).toHaveLength(12);

    const shards = Object.fromEntries(
      loadRoster(join(dir, 'roster.json')).learners.map((l) => [l.github_handle, l.provisioning.shard]),
    );
    expect(shards).toEqual({ l0: undefined, l1: undefined, l2: undefined, l3: 1, l4: 1, l5: 1, l6: 2, w: undefined });

    // synthesis now configures every room in the stack whose state holds it, and archives only what it did before
    const { settings } = readSettings({ LEARNING_ROOMS_SHARD_SIZE: '3', LEARNING_ROOMS_ALLOW_MASS_ARCHIVE: 'true' });
    const knownRooms = new Map(
      ['c1', 'c1.shard-1', 'c1.shard-2'].map((s) => [
        s,
        parseKnownRooms(readFileSync(join(dir, `${s}.tfstate`), 'utf8'), s),
      ]),
    );
    const plan = planCohorts({ roster: loadRoster(join(dir, 'roster.json')), settings: settings!, knownRooms });
    expect(
      plan.stacks.map((s) => [s.stack, s.rooms.map((x) => x.github_handle), s.archived.map((a) => a.github_handle)]),
    ).toEqual([
      ['c1', ['l0', 'l1', 'l2'], ['w', 'gone']],
      ['c1.shard-1', ['l3', 'l4', 'l5'], []],
      ['c1.shard-2', ['l6'], []],
    ]);
    expect(plan.warnings).toEqual([]);

    // a second run has nothing left to move
    const again = await cli(['migrate-shards', '--cohort', 'c1', '--state-dir', '.', '--shard-size', '3'], {
      cwd: dir,
      env: { PATH: process.env.PATH },
    });
    expect(again.stdout).toContain('0 rooms to move');
  }, 120_000);
});
