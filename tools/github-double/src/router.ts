/** Anything routable: a REST route or an admin route. */
export interface Routable {
  method: string;
  pattern: string;
}

interface Compiled<R> {
  route: R;
  re: RegExp;
  names: string[];
}

export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

/** A table-driven router: patterns compile to regular expressions once. */
export class Router<R extends Routable> {
  private readonly compiled: Compiled<R>[];

  constructor(routes: R[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const src = route.pattern
        .split('/')
        .map((seg) => {
          if (seg.startsWith(':')) {
            names.push(seg.slice(1));
            return '([^/]+)';
          }
          if (seg.startsWith('*')) {
            names.push(seg.slice(1));
            return '(.+)';
          }
          return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/');
      return { route, re: new RegExp(`^${src}/?$`), names };
    });
  }

  /** The route for a method and path; `methodMismatch` when the path exists under another method. */
  match(method: string, path: string): RouteMatch<R> | { methodMismatch: boolean } {
    let pathExists = false;
    for (const c of this.compiled) {
      const m = c.re.exec(path);
      if (!m) continue;
      if (c.route.method !== method) {
        pathExists = true;
        continue;
      }
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
      return { route: c.route, params };
    }
    return { methodMismatch: pathExists };
  }
}
