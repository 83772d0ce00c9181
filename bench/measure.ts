/** Shared by the benchmarks: wall time and peak resident memory of a step. */
export interface Measurement {
  label: string;
  ms: number;
  peakRssMiB: number;
}

export function measure<T>(label: string, fn: () => T): { result: T; m: Measurement } {
  if (global.gc) global.gc();
  const start = process.hrtime.bigint();
  const result = fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // maxRSS is the process's high-water mark in KiB: a run's peak, so run one size per process for exact figures.
  return { result, m: { label, ms, peakRssMiB: process.resourceUsage().maxRSS / 1024 } };
}

export async function measureAsync<T>(label: string, fn: () => Promise<T>): Promise<{ result: T; m: Measurement }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { result, m: { label, ms, peakRssMiB: process.resourceUsage().maxRSS / 1024 } };
}

export function printTable(rows: Measurement[]): void {
  const w = Math.max(...rows.map((r) => r.label.length), 5);
  console.log(`${'step'.padEnd(w)}  ${'time ms'.padStart(10)}  ${'peak RSS MiB'.padStart(12)}`);
  for (const r of rows)
    console.log(`${r.label.padEnd(w)}  ${r.ms.toFixed(1).padStart(10)}  ${r.peakRssMiB.toFixed(1).padStart(12)}`);
}
