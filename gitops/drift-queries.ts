/**
 * The GraphQL document the fingerprint sends: many rooms in one query under aliases (r0, r1, ...),
 * as progress batches its reads, each with its settings, the learner as a direct collaborator and
 * every required file's blob id on the default branch. GitHub's GraphQL has no repository
 * invitations, so those come from elsewhere (drift-reader.ts). Validated against GitHub's
 * published schema in the tests. Pure.
 */
import type { ExpectedRoom, ObservedRoom } from './drift-fingerprint';
import { sameHandle } from '../roster/handle';

export interface RoomQuery {
  query: string;
  variables: Record<string, string>;
}

export const roomAlias = (i: number) => `r${i}`;
const fileAlias = (j: number) => `f${j}`;

/** One query for a batch of rooms of `owner`. */
export function roomStateQuery(owner: string, rooms: readonly ExpectedRoom[]): RoomQuery {
  const decl: string[] = [];
  const variables: Record<string, string> = {};
  const body = rooms.map((r, i) => {
    decl.push(`$o${i}: String!`, `$n${i}: String!`);
    variables[`o${i}`] = owner;
    variables[`n${i}`] = r.repository;
    const lines = [
      `  ${roomAlias(i)}: repository(owner: $o${i}, name: $n${i}) {`,
      '    isArchived visibility hasIssuesEnabled',
    ];
    if (r.state === 'configured') {
      decl.push(`$h${i}: String!`);
      variables[`h${i}`] = r.handle;
      lines.push(
        `    collaborators(affiliation: DIRECT, login: $h${i}, first: 1) { edges { permission node { login } } }`,
      );
      r.files.forEach((f, j) => {
        decl.push(`$e${i}_${j}: String!`);
        variables[`e${i}_${j}`] = `HEAD:${f.path}`;
        lines.push(`    ${fileAlias(j)}: object(expression: $e${i}_${j}) { ... on Blob { oid } }`);
      });
    }
    lines.push('  }');
    return lines.join('\n');
  });
  return { query: `query RoomStates(${decl.join(', ')}) {\n${body.join('\n')}\n}`, variables };
}

export interface RoomStateNode {
  isArchived: boolean;
  visibility: string;
  hasIssuesEnabled: boolean;
  collaborators?: { edges: ({ permission: string; node: { login: string } | null } | null)[] | null } | null;
  [file: string]: unknown;
}

/** What a room's answer says; `invitation` is filled in afterwards for a learner who is not a collaborator. */
export function observedFromNode(room: ExpectedRoom, node: RoomStateNode | null): ObservedRoom {
  if (!node) return { exists: false, files: {} };
  const edge = (node.collaborators?.edges ?? []).find((e) => !!e?.node && sameHandle(e.node.login, room.handle));
  const files: Record<string, string | null> = {};
  room.files.forEach((f, j) => {
    const blob = node[fileAlias(j)] as { oid?: unknown } | null | undefined;
    files[f.path] = blob && typeof blob.oid === 'string' ? blob.oid : null;
  });
  return {
    exists: true,
    archived: node.isArchived,
    visibility: node.visibility,
    hasIssues: node.hasIssuesEnabled,
    ...(room.state === 'configured' ? { permission: edge ? edge.permission : null } : {}),
    files,
  };
}
