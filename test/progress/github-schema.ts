import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientSchema, GraphQLSchema, IntrospectionQuery, parse, validate } from 'graphql';

let schema: GraphQLSchema | undefined;

/**
 * GitHub's published GraphQL schema from @octokit/graphql-schema. The package is ESM-only with an
 * exports map, so jest (CommonJS) reads its schema.json from the module search path directly.
 */
export function githubSchema(): GraphQLSchema {
  if (schema) return schema;
  const dirs = require.resolve.paths('@octokit/graphql-schema') ?? [];
  const file = dirs.map((d) => join(d, '@octokit', 'graphql-schema', 'schema.json')).find((f) => existsSync(f));
  if (!file) throw new Error('@octokit/graphql-schema is not installed (npm ci)');
  // The introspection JSON, as the package's own validate() uses (its SDL repeats some fields).
  schema = buildClientSchema(JSON.parse(readFileSync(file, 'utf8')) as IntrospectionQuery);
  return schema;
}

/** Validation messages for a document against GitHub's schema; [] when valid. */
export function schemaErrors(query: string): string[] {
  return validate(githubSchema(), parse(query)).map((e) => e.message);
}
