/**
 * How Terraform reads a JSON string: every string of a `.tf.json` file is a template, in which
 * `${` opens an interpolation and `%{` a directive, while `$${` and `%%{` are the escapes for a
 * literal `${` and `%{`. A lone `$` or `%` (not followed by `{`) is literal. This mirrors the
 * "bare template" scanner of HCL (hclsyntax/scan_tokens.rl) and its unescaping
 * (ParseStringLiteralToken); test/gitops/template-literal.test.ts runs Terraform on tricky strings
 * to prove the two agree. escapeTerraformTemplate (escape.ts) is the inverse for literal text.
 */

export type TemplateReading =
  | { literal: true; /** The text Terraform produces, escapes resolved. */ value: string }
  | { literal: false; /** Offset of the first `${` or `%{` that Terraform would evaluate. */ at: number };

export function readTemplate(text: string): TemplateReading {
  let value = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '$' || c === '%') {
      const next = text[i + 1];
      if (next === '{') return { literal: false, at: i };
      if (next === c && text[i + 2] === '{') {
        // `$${` -> `${`, `%%{` -> `%{`: the scanner takes all three as one literal token.
        value += c + '{';
        i += 3;
        continue;
      }
    }
    value += c;
    i++;
  }
  return { literal: true, value };
}

/** The evaluated part of a template for a refusal message: from the opener, at most `max` characters. */
export function templateExcerpt(text: string, at: number, max = 60): string {
  const rest = text.slice(at);
  const close = rest.indexOf('}');
  const end = close >= 0 && close < max ? close + 1 : Math.min(rest.length, max);
  return rest.slice(0, end) + (end < rest.length && close !== end - 1 ? '...' : '');
}
