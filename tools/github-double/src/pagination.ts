import { validationFailed, type DoubleRequest } from './http';

const MAX_PER_PAGE = 100;
const DEFAULT_PER_PAGE = 30;

/**
 * One page of a list, with GitHub's `Link` header (`next`, `last`, `first`, `prev`) built from the
 * request's own URL so that other query parameters survive.
 */
export function paginate<T>(req: DoubleRequest, items: T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(MAX_PER_PAGE, positive(req, 'per_page') ?? DEFAULT_PER_PAGE);
  const pageNo = positive(req, 'page') ?? 1;
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const page = items.slice((pageNo - 1) * perPage, pageNo * perPage);
  const link = (n: number, rel: string): string => {
    const q = new URLSearchParams(req.query);
    q.set('per_page', String(perPage));
    q.set('page', String(n));
    return `<${req.urls.api}${req.path}?${q.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNo > 1) links.push(link(pageNo - 1, 'prev'));
  if (pageNo < lastPage) links.push(link(pageNo + 1, 'next'), link(lastPage, 'last'));
  if (pageNo > 1) links.push(link(1, 'first'));
  return { page, headers: links.length ? { Link: links.join(', ') } : {} };
}

function positive(req: DoubleRequest, name: string): number | undefined {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw validationFailed(`Invalid request.\n\n"${name}" must be a positive integer.`);
  return n;
}
