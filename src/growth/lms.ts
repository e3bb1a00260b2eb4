import type { Lms } from './tables';

/**
 * The LMS z-score and WHO's restricted variant, exactly as WHO's reference implementation writes them
 * (anthro R/z-score-helper.R `compute_zscore`, `compute_zscore_adjusted`; WHO Child Growth Standards:
 * Methods and development, 2006, chapter 7 "Computation of centiles and z-scores").
 */

/** z = ((y/M)^L − 1) / (S·L). */
export function lmsZ(y: number, { l, m, s }: Lms): number {
  return ((y / m) ** l - 1) / (s * l);
}

/** The measurement at z = sd: M·(1 + L·S·sd)^(1/L). */
function atSd(sd: number, { l, m, s }: Lms): number {
  return m * (1 + l * s * sd) ** (1 / l);
}

/**
 * Beyond ±3 SD the skewed weight-based distributions are not extrapolated with the LMS curve: the
 * distance past the 3 SD line is measured in units of the 2-to-3 SD distance on that side, so the
 * tails stay linear in the measurement (WHO 2006, chapter 7 §7.1).
 */
export function restrictedLmsZ(y: number, lms: Lms): number {
  const z = lmsZ(y, lms);
  if (z > 3) {
    const sd3 = atSd(3, lms);
    return 3 + (y - sd3) / (sd3 - atSd(2, lms));
  }
  if (z < -3) {
    const sd3 = atSd(-3, lms);
    return -3 + (y - sd3) / (atSd(-2, lms) - sd3);
  }
  return z;
}

/** Linear interpolation of L, M and S between two grid rows, `fraction` of the way from `low` to `high`. */
export function interpolateLms(low: Lms, high: Lms, fraction: number): Lms {
  return {
    l: low.l + fraction * (high.l - low.l),
    m: low.m + fraction * (high.m - low.m),
    s: low.s + fraction * (high.s - low.s),
  };
}

/**
 * Rounds to 2 decimals the way R ≥ 4.0 `round(x, 2)` does, as both WHO packages round before
 * flagging: the representable 2-decimal candidate nearest to x; an exact tie goes to the even one.
 * (Math.round(x * 100) / 100 differs, e.g. on 1.005, where x*100 rounds up to 100.5 in binary.)
 */
export function round2(x: number): number {
  const lower = Math.floor(x * 100);
  const candidates = [lower - 1, lower, lower + 1].map((n) => ({ n, value: n / 100 }));
  let best = candidates[0] as { n: number; value: number };
  for (const c of candidates) {
    const d = Math.abs(c.value - x);
    const bestD = Math.abs(best.value - x);
    if (d < bestD || (d === bestD && c.n % 2 === 0)) best = c;
  }
  return best.value === 0 ? 0 : best.value;
}
