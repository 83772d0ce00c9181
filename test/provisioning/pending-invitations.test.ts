import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessChangesOf, losesWrite } from '../../provisioning/access-changes';
import { InvitationsApi, invitationUpdates, setPendingInvitations } from '../../provisioning/pending-invitations';
import type { ResourceChange } from '../../contracts/terraform-plan';
import { cli } from '../helpers/cli';

const collaborators = (repository: string, before: string[], after: string[], actions = ['update']): ResourceChange => {
  const users = (list: string[]) =>
    list.map((u) => {
      const [username, permission] = u.split(':');
      return { username, permission };
    });
  return {
    address: `github_repository_collaborators.a1--${repository}`,
    type: 'github_repository_collaborators',
    change: { actions, before: { repository, user: users(before) }, after: { repository, user: users(after) } },
  };
};

describe('access changes read off a plan', () => {
  test('per user: changed, added, removed; users compared case-insensitively; only in-place updates of the collaborators list', () => {
    const c = collaborators(
      'r1',
      ['Alice:push', 'tina:maintain', 'bob:push'],
      ['alice:pull', 'bob:push', 'sam:maintain'],
    );
    expect(accessChangesOf(c)).toEqual([
      { address: c.address, repository: 'r1', username: 'alice', from: 'push', to: 'pull' },
      { address: c.address, repository: 'r1', username: 'sam', to: 'maintain' },
      { address: c.address, repository: 'r1', username: 'tina', from: 'maintain' },
    ]);
    expect(accessChangesOf(collaborators('r1', [], ['alice:push'], ['create']))).toEqual([]);
    expect(accessChangesOf({ ...c, type: 'github_repository_collaborator' })).toEqual([]);
    expect(accessChangesOf(c).map(losesWrite)).toEqual([true, false, false]);
  });

  test('the pre-apply step looks only at permissions that change in place', () => {
    const plan = {
      resource_changes: [
        collaborators('r1', ['alice:push', 'tina:maintain'], ['alice:pull']),
        collaborators('r2', ['bob:pull'], ['bob:admin']),
        collaborators('r3', [], ['carol:push'], ['create']),
      ],
    };
    expect(invitationUpdates(plan)).toEqual([
      { repository: 'r1', username: 'alice', permission: 'pull' },
      { repository: 'r2', username: 'bob', permission: 'admin' },
    ]);
  });
});

describe('setting pending invitations to the documented names', () => {
  const api = (invitations: Record<string, { id: number; invitee: string; permissions: string }[]>) => {
    const updated: string[] = [];
    const a: InvitationsApi = {
      list: async (_owner, repo) => {
        if (!(repo in invitations)) throw new Error('404 Not Found');
        return invitations[repo];
      },
      update: async (_owner, repo, id, permissions) => {
        if (id === 99) throw new Error('403 Resource not accessible by integration');
        updated.push(`${repo}#${id}=${permissions}`);
      },
    };
    return { a, updated };
  };

  test('pull becomes read, push write, admin stays admin; accepted members are left to the apply; one already right is left alone', async () => {
    const { a, updated } = api({
      r1: [
        { id: 1, invitee: 'Alice', permissions: 'write' },
        { id: 2, invitee: 'dora', permissions: 'read' },
      ],
      r2: [{ id: 3, invitee: 'bob', permissions: 'read' }],
    });
    const report = await setPendingInvitations(a, 'acme', [
      { repository: 'r1', username: 'alice', permission: 'pull' },
      { repository: 'r1', username: 'carol', permission: 'pull' },
      { repository: 'r1', username: 'dora', permission: 'pull' },
      { repository: 'r2', username: 'bob', permission: 'admin' },
    ]);
    expect(updated).toEqual(['r1#1=read', 'r2#3=admin']);
    expect(report).toEqual({
      updated: [
        { repository: 'r1', username: 'Alice', from: 'write', to: 'read' },
        { repository: 'r2', username: 'bob', from: 'read', to: 'admin' },
      ],
      accepted: 1,
      problems: [],
    });
  });

  test('every problem is reported, the others still done; a dry run changes nothing', async () => {
    const { a, updated } = api({
      r1: [{ id: 99, invitee: 'alice', permissions: 'write' }],
      r3: [{ id: 4, invitee: 'x', permissions: 'write' }],
    });
    const report = await setPendingInvitations(a, 'acme', [
      { repository: 'r1', username: 'alice', permission: 'pull' },
      { repository: 'r2', username: 'bob', permission: 'pull' },
      { repository: 'r3', username: 'x', permission: 'pull' },
    ]);
    expect(report.problems).toEqual([
      'acme/r1: the invitation of alice could not be set to read (403 Resource not accessible by integration)',
      'acme/r2: the invitations could not be read (404 Not Found)',
    ]);
    expect(updated).toEqual(['r3#4=read']);
    const dry = api({ r3: [{ id: 4, invitee: 'x', permissions: 'write' }] });
    const planned = await setPendingInvitations(
      dry.a,
      'acme',
      [{ repository: 'r3', username: 'x', permission: 'pull' }],
      true,
    );
    expect(dry.updated).toEqual([]);
    expect(planned.updated).toHaveLength(1);
  });
});

test('`learning-rooms pending-invitations` with a plan that changes no permission needs no credential', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pending-'));
  try {
    writeFileSync(
      join(dir, 'plan.json'),
      JSON.stringify({ format_version: '1.2', resource_changes: [], complete: true, applyable: false, errored: false }),
    );
    const r = await cli(['pending-invitations', '--plan', 'plan.json'], { cwd: dir, env: {} });
    expect(r).toMatchObject({ code: 0, stdout: "pending-invitations: the plan changes no member's permission\n" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
