/**
 * How Terraform reads a JSON string: every string of a `.tf.json` file is a template, in which
 * `${` opens an interpolation and `%{` a directive, while `$${` and `%%{` are the escapes for a
 * literal `${` and `%{`. A lone `$` or `%` (not followed by `{`) is literal. This mirrors the
 * "bare template" scanner of HCL (hclsyntax/scan_tokens.rl) and its unescaping
 * (ParseStringLiteralToken); test/contracts/terraform-template.test.ts runs Terraform on tricky strings
 * to prove the two agree. escapeTerraformTemplate, below, is the inverse for literal text: synthesis
 * writes with it, prepare-stack reads with readTemplate.
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

/**
 * Terraform reads `${` and `%{` in every JSON string as template syntax, so a required file such as
 * a workflow with `${{ github.actor }}` must reach the configuration as `$${{ github.actor }}`
 * (and `%{` as `%%{`). cdktf passes plain strings through untouched, so synthesis escapes file
 * contents itself. Doubling the sigil before every `{` is exact: Terraform turns `$${` back into
 * `${` and leaves a lone `$` or `%` alone, so any text, including text that already contains
 * `$${`, comes back byte for byte (test/contracts/terraform-template-escape.test.ts runs Terraform to prove it).
 */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/([$%])\{/g, '$1$1{');
}
