import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markCanonical, stableJson } from '../../constructs/stable-json';

describe('stableJson', () => {
  it("formats exactly as cdktf's cdk.tf.json (the recorded run's file, empty objects included)", () => {
    const recorded = readFileSync(join(__dirname, '../fixtures/terraform/config.tf.json'), 'utf8');
    expect(stableJson(JSON.parse(recorded))).toBe(recorded.replace(/\n$/, ''));
  });

  it('sorts keys at every depth and drops undefined members', () => {
    expect(stableJson({ b: 1, a: { d: [1, 'x'], c: undefined }, e: [] })).toBe('{\n  "a": {\n    "d": [\n      1,\n      "x"\n    ]\n  },\n  "b": 1,\n  "e": [\n  ]\n}');
  });

  it('gives the same text for an object marked canonical, at any depth', () => {
    const body = () => ({ '//': { metadata: { path: 'p', uniqueId: 'u' } }, content: 'a\nb "q"', file: 'f', overwrite_on_create: true });
    const plain = { resource: { t: { x: body() } } };
    const marked = { resource: { t: { x: markCanonical(body()) } } };
    expect(stableJson(marked)).toBe(stableJson(plain));
    expect(stableJson(markCanonical(body()))).toBe(stableJson(body()));
  });
});
