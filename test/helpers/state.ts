import { fileResourceName, learnerResourceName } from '../../contracts/room-addresses';

export interface StateRoom {
  handle: string;
  repository: string;
  files?: string[];
  collaborator?: boolean;
}

/** A raw Terraform state (format version 4, as `terraform state pull` prints it) holding these rooms. */
export function rawState(rooms: StateRoom[]): string {
  const resources: unknown[] = [];
  const provider = 'provider["registry.terraform.io/integrations/github"]';
  for (const r of rooms) {
    const name = learnerResourceName(r.handle);
    resources.push({
      mode: 'managed',
      type: 'github_repository',
      name,
      provider,
      instances: [{ schema_version: 1, attributes: { name: r.repository, archive_on_destroy: true } }],
    });
    if (r.collaborator !== false) {
      resources.push({
        mode: 'managed',
        type: 'github_repository_collaborator',
        name,
        provider,
        instances: [{ attributes: { repository: r.repository, username: r.handle } }],
      });
    }
    for (const f of r.files ?? []) {
      resources.push({
        mode: 'managed',
        type: 'github_repository_file',
        name: fileResourceName(r.handle, f),
        provider,
        instances: [{ attributes: { repository: r.repository, file: f } }],
      });
    }
  }
  return JSON.stringify({
    version: 4,
    terraform_version: '1.11.4',
    serial: 3,
    lineage: 'test',
    outputs: {},
    resources,
    check_results: null,
  });
}

/** The same rooms as `terraform show -json` of the state prints them. */
export function showJsonState(rooms: StateRoom[]): string {
  const resources: unknown[] = [];
  for (const r of rooms) {
    const name = learnerResourceName(r.handle);
    resources.push({
      address: `github_repository.${name}`,
      mode: 'managed',
      type: 'github_repository',
      name,
      values: { name: r.repository },
    });
    if (r.collaborator !== false)
      resources.push({
        address: `github_repository_collaborator.${name}`,
        mode: 'managed',
        type: 'github_repository_collaborator',
        name,
        values: {},
      });
    for (const f of r.files ?? []) {
      const n = fileResourceName(r.handle, f);
      resources.push({
        address: `github_repository_file.${n}`,
        mode: 'managed',
        type: 'github_repository_file',
        name: n,
        values: { file: f },
      });
    }
  }
  return JSON.stringify({ format_version: '1.0', terraform_version: '1.11.4', values: { root_module: { resources } } });
}
