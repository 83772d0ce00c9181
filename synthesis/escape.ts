/**
 * Terraform reads `${` and `%{` in every JSON string as template syntax, so a required file such as
 * a workflow with `${{ github.actor }}` must reach the configuration as `$${{ github.actor }}`
 * (and `%{` as `%%{`). cdktf passes plain strings through untouched, so synthesis escapes file
 * contents itself. Doubling the sigil before every `{` is exact: Terraform turns `$${` back into
 * `${` and leaves a lone `$` or `%` alone, so any text, including text that already contains
 * `$${`, comes back byte for byte (test/synthesis/escape.test.ts runs Terraform to prove it).
 */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/([$%])\{/g, '$1$1{');
}
