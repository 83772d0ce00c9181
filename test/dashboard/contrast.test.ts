/**
 * The page's colours against WCAG 2.2 AA, computed from the palette itself (axe in the browser
 * checks the rendered text too; this also covers the chart lines and borders, which axe does not):
 * text 4.5:1, user-interface components and graphics 3:1 (1.4.3, 1.4.11).
 */
import { COLOURS, LINE_COLOURS } from '../../dashboard/assets';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('colour contrast', () => {
  it('is computed as WCAG defines it', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('text on its backgrounds is at least 4.5:1', () => {
    const pairs: [string, string, string][] = [
      ['text', COLOURS.text, COLOURS.background],
      ['muted', COLOURS.muted, COLOURS.background],
      ['link', COLOURS.link, COLOURS.background],
      ['visited', COLOURS.visited, COLOURS.background],
      ['header text', COLOURS.text, COLOURS.headBackground],
      ...(['good', 'busy', 'alert', 'quiet'] as const).map((k): [string, string, string] => [
        k,
        COLOURS[k][0],
        COLOURS[k][1],
      ]),
    ];
    for (const [name, fg, bg] of pairs) expect({ name, ok: contrast(fg, bg) >= 4.5 }).toEqual({ name, ok: true });
  });

  it('focus outline, borders and every chart line are at least 3:1 against white', () => {
    for (const [name, c] of [
      ['focus', COLOURS.focus],
      ['rule', COLOURS.rule],
      ...LINE_COLOURS.map((c, i) => [`line ${i}`, c]),
    ]) {
      expect({ name, ok: contrast(c, '#ffffff') >= 3 }).toEqual({ name, ok: true });
    }
  });
});
