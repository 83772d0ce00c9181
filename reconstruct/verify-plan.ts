/**
 * The check after reconstruction, on the plan itself (`terraform show -json tfplan`): every import
 * entry is imported at its address with its id and neither created nor destroyed, and the plan
 * creates nothing but what reconstruct reported missing, and destroys nothing. In-place updates
 * (settings, file contents an adopted room has drifted on) are fine and counted.
 */
import { parseCourseRoomAddress, parseRoomAddress } from '../contracts/room-addresses';
import type { ImportsFile } from '../contracts/import-entries';
import type { PlanResourceChanges } from '../contracts/terraform-plan';

export interface AdoptionCheck {
  imported: number;
  /** Creations of resources reconstruct reported missing. */
  expectedCreations: number;
  updatedInPlace: number;
  /** Everything wrong, one line each, naming the address. */
  problems: string[];
}

const has = (actions: string[], a: string) => actions.includes(a);

export function verifyAdoptionPlan(plan: PlanResourceChanges, file: ImportsFile): AdoptionCheck {
  const changes = new Map(
    plan.resource_changes.filter((rc) => rc.mode === undefined || rc.mode === 'managed').map((rc) => [rc.address, rc]),
  );
  const missing = new Set([
    ...file.learners.flatMap((l) => l.missing),
    ...(file.rooms ?? []).flatMap((r) => r.missing),
  ]);
  const entries = new Map(file.imports.map((e) => [e.address, e]));
  const result: AdoptionCheck = { imported: 0, expectedCreations: 0, updatedInPlace: 0, problems: [] };

  for (const e of file.imports) {
    // A course's room is named by its key; a learner's by the handle (as before).
    const who = e.room ?? e.github_handle;
    const rc = changes.get(e.address);
    if (!rc) {
      result.problems.push(
        `${e.address} (${who}): not in the plan; was it synthesized with --imports, and is the ${e.room ? 'room' : 'learner'} configured this run?`,
      );
      continue;
    }
    const id = rc.importing?.id;
    if (id === undefined) {
      // Already in state (a second plan after the adopting apply): nothing to import, which is fine.
      if (has(rc.change.actions, 'create'))
        result.problems.push(`${e.address} (${who}): the plan creates it instead of importing ${e.id}`);
    } else if (id !== e.id) {
      result.problems.push(`${e.address} (${who}): the plan imports "${id}", the entry says "${e.id}"`);
    } else {
      result.imported++;
    }
    if (has(rc.change.actions, 'delete'))
      result.problems.push(
        `${e.address} (${who}): the plan destroys${has(rc.change.actions, 'create') ? ' and re-creates (replaces)' : ''} an adopted resource`,
      );
  }
  for (const rc of changes.values()) {
    const actions = rc.change.actions;
    const room = parseRoomAddress(rc.address) ?? parseCourseRoomAddress(rc.address);
    if (entries.has(rc.address)) {
      if (has(actions, 'update')) result.updatedInPlace++;
      continue;
    }
    if (has(actions, 'delete') && room)
      result.problems.push(
        `${rc.address}: the plan destroys a ${parseRoomAddress(rc.address) ? 'learning room' : "course room's"} resource`,
      );
    if (has(actions, 'create') && !has(actions, 'delete')) {
      if (missing.has(rc.address)) result.expectedCreations++;
      else if (room)
        result.problems.push(
          `${rc.address}: the plan creates it, but reconstruct did not report it missing (the roster or GitHub changed since; run reconstruct again)`,
        );
    }
    if (has(actions, 'update')) result.updatedInPlace++;
  }
  return result;
}
