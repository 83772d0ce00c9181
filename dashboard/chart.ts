/**
 * Completion over time for one cohort: an SVG line per path (share of the path's learners who are
 * complete), and the same numbers as a table, which is the chart's text equivalent. Paths are told
 * apart by colour, dash pattern, marker shape and a text label at the line's end, never by colour alone.
 */
import { COLOURS, LINE_COLOURS } from './assets';
import { esc, plural } from './html';
import type { CohortTrend } from './model';

const W = 640;
const H = 260;
const M = { left: 48, right: 150, top: 14, bottom: 40 };
const DASHES = ['', '8 4', '2 4', '12 4 2 4', '4 4', '16 6', '2 2', '8 2 2 2'];
/** Marker shapes (as SVG path data around 0,0), one per path in turn. */
const MARKERS = [
  'M-4,-4h8v8h-8z',
  'M0,-5L5,4H-5z',
  'M0,-5L5,0L0,5L-5,0z',
  'M-4,0a4,4 0 1,0 8,0a4,4 0 1,0 -8,0',
  'M-4,-4L4,4M4,-4L-4,4',
  'M-5,0H5M0,-5V5',
];
/** Markers are drawn only while there are few enough points to tell apart. */
const MAX_MARKED_POINTS = 40;

const pct = (complete: number, learners: number) => (learners === 0 ? 0 : (100 * complete) / learners);
const f1 = (n: number) => (Math.round(n * 10) / 10).toString();

/** The chart's SVG; `id` prefixes its title and description ids. */
export function renderChart(trend: CohortTrend, id: string): string {
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const times = trend.days.map((d) => Date.parse(d));
  const t0 = times[0] ?? 0;
  const span = Math.max(1, (times[times.length - 1] ?? 0) - t0);
  const x = (i: number) => M.left + (trend.days.length === 1 ? plotW / 2 : ((times[i] - t0) / span) * plotW);
  const y = (p: number) => M.top + plotH - (p / 100) * plotH;
  const name = trend.title ? `${trend.cohort} (${trend.title})` : trend.cohort;
  const out: string[] = [
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t ${id}-d" xmlns="http://www.w3.org/2000/svg" font-family="system-ui,sans-serif" font-size="12">`,
    `<title id="${id}-t">Completion over time, cohort ${esc(name)}</title>`,
    `<desc id="${id}-d">Share of each path's learners who are complete, from ${esc(trend.days[0] ?? '')} to ${esc(trend.days[trend.days.length - 1] ?? '')}. The table after the chart lists the same values.</desc>`,
  ];
  for (const p of [0, 25, 50, 75, 100]) {
    out.push(
      `<line x1="${M.left}" x2="${M.left + plotW}" y1="${f1(y(p))}" y2="${f1(y(p))}" stroke="${COLOURS.rule}" stroke-width="${p === 0 ? 1.5 : 0.5}"${p === 0 ? '' : ' stroke-dasharray="2 3"'}/>`,
    );
    out.push(`<text x="${M.left - 6}" y="${f1(y(p) + 4)}" text-anchor="end" fill="${COLOURS.text}">${p}%</text>`);
  }
  const first = trend.days[0] ?? '';
  const last = trend.days[trend.days.length - 1] ?? '';
  out.push(`<text x="${M.left}" y="${H - 12}" fill="${COLOURS.text}">${esc(first)}</text>`);
  if (last !== first)
    out.push(`<text x="${M.left + plotW}" y="${H - 12}" text-anchor="end" fill="${COLOURS.text}">${esc(last)}</text>`);

  // End labels, nudged apart so two paths ending at the same share stay readable.
  const labels = trend.paths.map((p, k) => {
    const lastPoint = p.points[p.points.length - 1];
    return {
      k,
      y: y(pct(lastPoint?.complete ?? 0, lastPoint?.learners ?? 0)),
      text: `${p.path} ${Math.floor(pct(lastPoint?.complete ?? 0, lastPoint?.learners ?? 0))}%`,
    };
  });
  labels.sort((a, b) => a.y - b.y);
  for (let i = 1; i < labels.length; i++) labels[i].y = Math.max(labels[i].y, labels[i - 1].y + 14);

  trend.paths.forEach((p, k) => {
    const colour = LINE_COLOURS[k % LINE_COLOURS.length];
    const dash = DASHES[k % DASHES.length];
    const pts = p.points.map((pt, i) => `${f1(x(i))},${f1(y(pct(pt.complete, pt.learners)))}`);
    if (pts.length === 1) pts.push(pts[0]);
    out.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${pts.join(' ')}"/>`,
    );
    if (p.points.length <= MAX_MARKED_POINTS) {
      const shape = MARKERS[k % MARKERS.length];
      for (const [i, pt] of p.points.entries()) {
        out.push(
          `<path d="${shape}" transform="translate(${f1(x(i))},${f1(y(pct(pt.complete, pt.learners)))})" fill="${COLOURS.background}" stroke="${colour}" stroke-width="2"/>`,
        );
      }
    }
    const label = labels.find((l) => l.k === k)!;
    const endX = x(p.points.length - 1);
    out.push(
      `<line x1="${f1(endX + 6)}" x2="${f1(M.left + plotW + 8)}" y1="${f1(y(pct(p.points.at(-1)?.complete ?? 0, p.points.at(-1)?.learners ?? 0)))}" y2="${f1(label.y)}" stroke="${colour}" stroke-width="1"/>`,
    );
    out.push(
      `<text x="${M.left + plotW + 12}" y="${f1(label.y + 4)}" fill="${COLOURS.text}">${esc(label.text)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

/** The text equivalent: one row per day, per path "complete of learners (share)". */
export function renderTrendTable(trend: CohortTrend, captionId: string): string {
  const name = trend.title ? `${trend.cohort} (${trend.title})` : trend.cohort;
  const rows = trend.days.map((day, i) => {
    const cells = trend.paths.map((p) => {
      const pt = p.points[i];
      return `<td class="n">${pt.complete} of ${pt.learners} (${Math.floor(pct(pt.complete, pt.learners))}%)</td>`;
    });
    return `<tr><th scope="row">${esc(day)}</th>${cells.join('')}</tr>`;
  });
  return (
    `<div class="scroll" role="region" aria-labelledby="${captionId}" tabindex="0"><table>` +
    `<caption id="${captionId}"><span class="cap">Completion per day, cohort ${esc(name)}: learners complete of all (share), per path; ${plural(trend.days.length, 'day')} on which counts changed, and today</span></caption>` +
    `<thead><tr><th scope="col">Day</th>${trend.paths.map((p) => `<th scope="col">Path ${esc(p.path)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div>`
  );
}
