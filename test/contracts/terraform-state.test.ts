import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKnownRooms } from '../../contracts/terraform-state';
import { rawState, showJsonState } from '../helpers/state';

const rooms = [
  { handle: 'Alice', repository: 'c1-alice', files: ['.github/workflows/progress.yml'] },
  { handle: 'bob', repository: 'c1-bob', collaborator: false },
];

describe('parseKnownRooms', () => {
  it.each([
    ['raw state (terraform state pull)', rawState(rooms)],
    ['terraform show -json', showJsonState(rooms)],
  ])('reads rooms from %s', (_what, text) => {
    const known = parseKnownRooms(text, 'x.json');
    expect([...known.rooms.keys()].sort()).toEqual(['alice', 'bob']);
    const alice = known.rooms.get('alice');
    expect(alice?.repository).toBe('c1-alice');
    expect([...(alice?.kinds ?? [])].sort()).toEqual(['collaborator', 'file', 'repository']);
    expect(alice?.addresses).toContain('github_repository_file.learner-alice--github_workflows_progress_yml');
    expect([...(known.rooms.get('bob')?.kinds ?? [])]).toEqual(['repository']);
  });

  it('treats an empty file or a state without resources as no rooms', () => {
    expect(parseKnownRooms('', 'e').rooms.size).toBe(0);
    expect(parseKnownRooms('{"version":4,"resources":[]}', 'e').rooms.size).toBe(0);
    expect(parseKnownRooms('{"format_version":"1.0"}', 'e').rooms.size).toBe(0);
  });

  it('ignores resources outside the address scheme (here: the recorded run with cdktf-hashed names)', () => {
    const recorded = readFileSync(join(__dirname, '../fixtures/terraform/03-state.json'), 'utf8');
    expect(parseKnownRooms(recorded, '03-state.json').rooms.size).toBe(0);
  });

  it('names the file when the text is not state', () => {
    expect(() => parseKnownRooms('{nope', 'state/c1.tfstate.json')).toThrow(
      /^state\/c1\.tfstate\.json: expected Terraform state JSON/,
    );
    expect(() => parseKnownRooms('{"foo":1}', 's.json')).toThrow(
      /s\.json: expected Terraform state \("resources"\) or "terraform show -json"/,
    );
    expect(() => parseKnownRooms('[]', 's.json')).toThrow(/found an array/);
  });
});
