/**
 * The page's one style sheet and one script, inlined (the page is a single file with no external
 * asset). Colours: every text/background pair below has a contrast ratio of at least 4.5:1, every
 * border and chart line against white at least 3:1 (test/dashboard/contrast.test.ts checks them).
 * The script only enhances: without it every table is readable in its server-side order.
 */

export const COLOURS = {
  text: '#1b1b1b',
  muted: '#4d4d4d',
  background: '#ffffff',
  link: '#0b57d0',
  visited: '#6b21a8',
  focus: '#1d4ed8',
  headBackground: '#eef1f4',
  rule: '#767676',
  /** Status badges: [text, background]. */
  good: ['#14532d', '#dcfce7'],
  busy: ['#1e3a8a', '#dbeafe'],
  alert: ['#7f1d1d', '#fee2e2'],
  quiet: ['#1b1b1b', '#eef1f4'],
} as const;

/** Chart lines, each at least 3:1 against white; paths are also told apart by dash and marker. */
export const LINE_COLOURS = ['#1d4ed8', '#b91c1c', '#15803d', '#7e22ce', '#a15c07', '#0f766e', '#be185d', '#4b5563'];

const C = COLOURS;

export const STYLE = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:${C.text};background:${C.background}}
header,nav,main,footer{padding:0 1rem;max-width:96rem}
h1{font-size:1.75rem;line-height:1.25;margin:1rem 0 .5rem}
h2{font-size:1.4rem;line-height:1.3;margin:2rem 0 .5rem;padding-top:.5rem;border-top:2px solid ${C.rule}}
h3{font-size:1.15rem;margin:1.5rem 0 .4rem}
h4{font-size:1rem;margin:1.25rem 0 .3rem}
p{margin:.4rem 0;max-width:70rem}
a{color:${C.link};text-underline-offset:.15em}
a:visited{color:${C.visited}}
:focus-visible{outline:3px solid ${C.focus};outline-offset:2px}
.skip{position:absolute;left:1rem;top:-20rem;background:${C.background};color:${C.link};padding:.5rem 1rem;border:2px solid ${C.focus};z-index:2}
.skip:focus{top:.5rem}
.m{color:${C.muted}}
.vh{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}
nav ul,.jump{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;list-style:none;padding:0;margin:.5rem 0}
nav a,.jump a{display:inline-block;min-height:24px;padding:.1rem 0}
.scroll{overflow-x:auto;max-width:100%;margin:0 0 1.25rem}
table{border-collapse:collapse;margin:0}
caption{text-align:left;font-weight:600;padding:.3rem 0;caption-side:top}
.cap{display:block;position:sticky;left:0;max-width:calc(100vw - 2.5rem)}
th,td{border:1px solid ${C.rule};padding:.3rem .5rem;text-align:left;vertical-align:top;min-width:5rem}
.w{min-width:16rem}
thead th{background:${C.headBackground}}
tbody th{font-weight:400}
.n{text-align:right;font-variant-numeric:tabular-nums}
td a,th a{display:inline-block;min-height:24px}
tbody th a{white-space:nowrap}
.st{display:inline-block;padding:0 .35rem;border:1px solid currentColor;border-radius:.25rem;white-space:nowrap}
.s-good{color:${C.good[0]};background:${C.good[1]}}
.s-busy{color:${C.busy[0]};background:${C.busy[1]}}
.s-alert{color:${C.alert[0]};background:${C.alert[1]}}
.s-quiet{color:${C.quiet[0]};background:${C.quiet[1]}}
.sort{font:inherit;font-weight:600;color:inherit;background:transparent;border:1px solid transparent;border-radius:.2rem;padding:.1rem .25rem;margin:-.1rem -.25rem;min-height:24px;cursor:pointer;text-align:left;white-space:nowrap}
.sort:hover{border-color:${C.rule}}
.sort .arr::after{content:"\\2195";padding-left:.3rem}
th[aria-sort=ascending] .arr::after{content:"\\25B2"}
th[aria-sort=descending] .arr::after{content:"\\25BC"}
.filter{display:flex;flex-wrap:wrap;gap:.75rem 1.5rem;align-items:flex-end;margin:.75rem 0;padding:.75rem;border:1px solid ${C.rule}}
.filter[hidden]{display:none}
.filter label{display:block;font-weight:600}
input,select{font:inherit;color:${C.text};background:${C.background};min-height:2.25rem;border:1px solid ${C.rule};border-radius:.2rem;padding:.2rem .4rem;max-width:100%}
.chart{margin:.5rem 0;max-width:48rem}
.chart svg{display:block;width:100%;height:auto}
.empty{font-style:italic}
@media (max-width:40rem){h1{font-size:1.4rem}h2{font-size:1.2rem}}
`;

/**
 * Sorting (buttons in the headers, aria-sort on the header, the change announced) and filtering
 * (by text, status and attention; the count announced). Plain ES5, no dependency.
 */
export const SCRIPT = `
(function () {
  'use strict';
  var doc = document;
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var announce = doc.getElementById('announce');
  var say = function (text) { if (announce) { announce.textContent = ''; announce.textContent = text; } };

  each(doc.querySelectorAll('table[data-sortable]'), function (table) {
    var head = table.tHead.rows[0];
    each(head.cells, function (th, col) {
      var kind = th.getAttribute('data-sort');
      if (!kind) return;
      var button = doc.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      var label = th.textContent;
      button.textContent = label;
      var arrow = doc.createElement('span');
      arrow.className = 'arr';
      arrow.setAttribute('aria-hidden', 'true');
      button.appendChild(arrow);
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () {
        var order = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        each(head.cells, function (c) { c.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', order);
        var body = table.tBodies[0];
        var keyed = Array.prototype.map.call(body.rows, function (row, i) {
          var cell = row.cells[col];
          var v = cell.getAttribute('data-v');
          if (v === null) v = cell.textContent.trim().toLowerCase();
          return { row: row, v: kind === 'num' ? (v === '' ? -1 : parseFloat(v)) : v, i: i };
        });
        var sign = order === 'ascending' ? 1 : -1;
        keyed.sort(function (a, b) { return a.v < b.v ? -sign : a.v > b.v ? sign : a.i - b.i; });
        var frag = doc.createDocumentFragment();
        keyed.forEach(function (k) { frag.appendChild(k.row); });
        body.appendChild(frag);
        say((table.caption ? table.caption.textContent + ': ' : '') + 'sorted by ' + label + ', ' + order + '.');
      });
    });
  });

  var form = doc.getElementById('filter');
  if (!form) return;
  form.hidden = false;
  var text = doc.getElementById('f-text');
  var status = doc.getElementById('f-status');
  var attention = doc.getElementById('f-attention');
  var count = doc.getElementById('f-count');
  var groups = doc.querySelectorAll('[data-group]');
  var timer = null;
  var apply = function () {
    var q = text.value.trim().toLowerCase();
    var s = status.value;
    var a = attention ? attention.value : '';
    var shown = 0, total = 0;
    each(groups, function (group) {
      var inGroup = 0;
      each(group.querySelectorAll('tbody tr'), function (row) {
        total++;
        var hit = (!s || row.getAttribute('data-s') === s) && (!a || row.getAttribute('data-a') === a) &&
          (!q || (row.cells[0].textContent + ' ' + row.cells[1].textContent).toLowerCase().indexOf(q) !== -1);
        row.hidden = !hit;
        if (hit) inGroup++;
      });
      group.hidden = inGroup === 0;
      shown += inGroup;
    });
    count.textContent = shown === total ? 'Showing all ' + total + ' learners.' : 'Showing ' + shown + ' of ' + total + ' learners.';
  };
  form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
  text.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 200); });
  status.addEventListener('change', apply);
  if (attention) attention.addEventListener('change', apply);
})();
`;
