/**
 * The synthesis hook of reconstruction: import entries (`imports/<cohort>.json`, written by
 * `learning-rooms reconstruct`) become Terraform `import` blocks in the cohort's stack, so the next
 * plan adopts existing repositories, collaborators and files instead of creating them.
 *
 * Two rules keep a plan from failing on an import:
 * - an import block whose address is not in the configuration is an error in Terraform, so only
 *   entries for rooms this run configures become blocks (the others are returned, for the report);
 * - an imported room exists, so synthesis keeps it in the configuration whatever the admission
 *   budget (the same rule as a room in state): `knownRoomsWithImports` feeds it to the planner.
 */
import { readImportsFile, type ImportEntry, type ImportsFile } from '../contracts/import-entries';
import { collaboratorAddress, fileAddress, parseRoomAddress, repositoryAddress } from '../contracts/room-addresses';
import type { KnownRooms } from '../contracts/terraform-state';
import { foldHandle, learnerKey } from '../roster/handle';
import type { Roster } from '../roster/types';
import { stackName } from '../contracts/stack-names';

export interface ImportBlock {
  to: string;
  id: string;
}

/** The rooms of a stack, as far as their addresses go. */
export interface ConfiguredRoom {
  readonly githubHandle: string;
  readonly requiredFiles: readonly { readonly path: string }[];
}

export function configuredAddresses(rooms: readonly ConfiguredRoom[]): Set<string> {
  const out = new Set<string>();
  for (const r of rooms) {
    out.add(repositoryAddress(r.githubHandle));
    out.add(collaboratorAddress(r.githubHandle));
    for (const f of r.requiredFiles) out.add(fileAddress(r.githubHandle, f.path));
  }
  return out;
}

/** Import blocks for the entries whose address the stack configures; the rest are `unplaced`. */
export function importBlocks(
  entries: readonly ImportEntry[],
  rooms: readonly ConfiguredRoom[],
): { blocks: ImportBlock[]; unplaced: ImportEntry[] } {
  const configured = configuredAddresses(rooms);
  const blocks: ImportBlock[] = [];
  const unplaced: ImportEntry[] = [];
  for (const e of entries) {
    if (configured.has(e.address)) blocks.push({ to: e.address, id: e.id });
    else unplaced.push(e);
  }
  return { blocks, unplaced };
}

/**
 * The cohort's import blocks: the planner's own (a roster `repository` adopted without state, an
 * import made blind) and reconstruct's entries (each seen to exist). For every learner the entries
 * file covers, whatever the outcome, the entries are authoritative and the planner's block goes:
 * reconstruct saw whether the repository exists, and a blind import of a missing one fails the
 * plan. One block per address (Terraform refuses two).
 */
export function combineImports(
  plannerImports: readonly ImportBlock[],
  file: ImportsFile | undefined,
  rooms: readonly ConfiguredRoom[],
): { blocks: ImportBlock[]; unplaced: ImportEntry[] } {
  if (!file) return { blocks: [...plannerImports], unplaced: [] };
  const covered = new Set(file.learners.map((l) => foldHandle(l.github_handle)));
  for (const e of file.imports) covered.add(foldHandle(e.github_handle));
  const placed = importBlocks(file.imports, rooms);
  const taken = new Set(placed.blocks.map((b) => b.to));
  const kept = plannerImports.filter((b) => {
    const handle = parseRoomAddress(b.to)?.handle;
    return !taken.has(b.to) && (handle === undefined || !covered.has(handle));
  });
  return { blocks: [...kept, ...placed.blocks], unplaced: placed.unplaced };
}

/**
 * Adds the imported rooms to the rooms known from state (or makes the known rooms from imports
 * alone when the state is lost), so the planner keeps them in the configuration (its rule 1).
 * The repository name comes from the import id, which reconstruct spells as the configuration does.
 */
export function knownRoomsWithImports(
  known: KnownRooms | undefined,
  file: ImportsFile | undefined,
): KnownRooms | undefined {
  if (!file || file.imports.length === 0) return known;
  const rooms = new Map(known?.rooms ?? []);
  for (const e of file.imports) {
    const parsed = parseRoomAddress(e.address);
    if (!parsed) continue;
    const prior = rooms.get(parsed.handle);
    const room = prior
      ? { ...prior, kinds: new Set(prior.kinds), addresses: [...prior.addresses] }
      : { handle: parsed.handle, kinds: new Set<typeof parsed.kind>(), addresses: [] as string[] };
    room.kinds.add(parsed.kind);
    if (!room.addresses.includes(e.address)) room.addresses.push(e.address);
    if (parsed.kind === 'repository' && room.repository === undefined) room.repository = e.id;
    rooms.set(parsed.handle, room);
  }
  return { source: known ? `${known.source} + imports` : `imports of cohort ${file.cohort_id}`, rooms };
}

/** Every selected cohort's import entries from `dir` (no dir, or no file for a cohort: none). */
export function readImports(
  dir: string | undefined,
  cohortIds: readonly string[],
): { files: Map<string, ImportsFile>; errors: string[] } {
  const files = new Map<string, ImportsFile>();
  const errors: string[] = [];
  if (!dir) return { files, errors };
  for (const id of cohortIds) {
    try {
      const file = readImportsFile(dir, id);
      if (file) files.set(id, file);
    } catch (err) {
      errors.push(`cohort ${id}: import entries: ${(err as Error).message}`);
    }
  }
  return { files, errors };
}

/**
 * The rooms known per stack, from state and from import entries together. Only entries of learners
 * still in the roster count: a learner removed since reconstruct ran must not look like a room in
 * state (the planner would archive it and count it against the removal guard). An entry joins the
 * stack of the learner's recorded shard (shard 0 when none is recorded).
 */
export function mergeImportedRooms(
  known: ReadonlyMap<string, KnownRooms>,
  files: ReadonlyMap<string, ImportsFile>,
  roster: Pick<Roster, 'learners'>,
): Map<string, KnownRooms> {
  const shardOf = new Map(
    roster.learners.map((l) => [learnerKey(l.github_handle, l.cohort_id), l.provisioning.shard ?? 0]),
  );
  const out = new Map(known);
  for (const [id, file] of files) {
    const byStack = new Map<string, ImportEntry[]>();
    for (const e of file.imports) {
      const shard = shardOf.get(learnerKey(e.github_handle, e.cohort_id));
      if (shard === undefined) continue;
      const stack = stackName(id, shard);
      byStack.set(stack, [...(byStack.get(stack) ?? []), e]);
    }
    for (const [stack, imports] of byStack) {
      const merged = knownRoomsWithImports(out.get(stack), { ...file, imports });
      if (merged) out.set(stack, merged);
    }
  }
  return out;
}
