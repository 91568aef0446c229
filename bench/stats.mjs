/** The statistics the bench scripts report. */

/** The q-quantile of `values` (0 <= q <= 1), interpolated between the two nearest samples. */
export function quantile(values, q) {
  const s = [...values].sort((x, y) => x - y);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

/** The median of `values` (the mean of the middle two for an even count). */
export const median = (values) => quantile(values, 0.5);
