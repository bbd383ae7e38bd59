/**
 * The statistics of flow experiments (issue 12), pure: no database, no clock. The formulas the
 * experiments page shows are these; `stats.test.ts` checks them against known values and by
 * simulation.
 *
 * - Sample ratio mismatch: Pearson's chi-square of the observed arm sizes against the planned
 *   allocation; a p-value under 0.001 (GrowthBook's threshold) means the split is broken and no
 *   result of the experiment can be trusted.
 * - Sample size before the start: two proportions, two-sided, pooled variance under H0.
 * - While running: a mixture sequential probability ratio test (mSPRT, Johari et al. 2017, as in
 *   Optimizely's Stats Engine) on the difference of two proportions, with a normal mixing
 *   distribution. Its p-value is valid however often it is looked at: the running minimum of
 *   1 / Λ never rises, and under no difference it falls below α with probability at most α.
 * - No verdict before a minimum sample per arm and a minimum duration.
 */

/** ln Γ(x), Lanczos (g = 7, n = 9), |error| < 1e-13 for x > 0. */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i += 1) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    // Series for P(a, x).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 500 && Math.abs(term) > Math.abs(sum) * 1e-15; n += 1) {
      term *= x / (a + n);
      sum += term;
    }
    return Math.max(0, 1 - sum * front);
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, front * h);
}

/** P(X ≥ x) for X ~ χ²(df). */
export function chiSquareSurvival(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}

/** Below this p-value the split is broken (GrowthBook's default). */
export const SRM_P_THRESHOLD = 0.001;

export interface SrmResult {
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  /** The observed split is too unlikely under the planned allocation to trust the experiment. */
  mismatch: boolean;
}

/** Sample ratio mismatch: the arms' observed contacts against their planned weights (any positive scale). */
export function sampleRatioMismatch(observed: readonly number[], weights: readonly number[]): SrmResult {
  if (observed.length !== weights.length || observed.length < 2) throw new Error('one observed count and one weight per arm, at least two arms');
  if (weights.some((w) => !(w > 0))) throw new Error('every arm needs a positive weight');
  const total = observed.reduce((sum, n) => sum + n, 0);
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  const degreesOfFreedom = observed.length - 1;
  if (total === 0) return { chiSquare: 0, degreesOfFreedom, pValue: 1, mismatch: false };
  const chiSquare = observed.reduce((sum, n, i) => {
    const expected = (total * weights[i]!) / weightSum;
    return sum + (n - expected) ** 2 / expected;
  }, 0);
  const pValue = chiSquareSurvival(chiSquare, degreesOfFreedom);
  return { chiSquare, degreesOfFreedom, pValue, mismatch: pValue < SRM_P_THRESHOLD };
}

/** Φ(z), the standard normal CDF, from Numerical Recipes' Chebyshev fit of erfc (|error| < 1.2e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(z / Math.SQRT2));
  const erfc =
    t *
    Math.exp(
      -((z / Math.SQRT2) ** 2) -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Φ⁻¹(p), Acklam's rational approximation (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error('a probability strictly between 0 and 1');
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  const q = Math.sqrt(-2 * Math.log(1 - p));
  return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
}

/**
 * Contacts per arm to detect a change of the rate `baseline` by `minimumEffect` (absolute, e.g.
 * 0.02 for two points), two-sided at `alpha` with `power`: the usual two-proportion formula.
 */
export function sampleSizePerArm(input: { baseline: number; minimumEffect: number; alpha?: number; power?: number }): number {
  const { baseline, minimumEffect } = input;
  const alpha = input.alpha ?? 0.05;
  const power = input.power ?? 0.8;
  const p1 = baseline;
  const p2 = baseline + minimumEffect;
  if (!(p1 > 0 && p1 < 1 && p2 > 0 && p2 < 1) || minimumEffect === 0) throw new Error('the baseline and the baseline plus the effect must be rates strictly between 0 and 1, and differ');
  const pooled = (p1 + p2) / 2;
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zBeta = normalQuantile(power);
  const n = (zAlpha * Math.sqrt(2 * pooled * (1 - pooled)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / minimumEffect ** 2;
  return Math.ceil(n);
}

export interface ArmCounts {
  /** Contacts exposed to the arm. */
  n: number;
  /** Of those, how many converted (the primary metric held). */
  conversions: number;
}

export interface SequentialResult {
  /** B's rate minus A's. */
  difference: number;
  /** The mixture likelihood ratio Λ of this look. */
  likelihoodRatio: number;
  /** Anytime-valid: the running minimum of 1 / Λ over every look so far (pass the previous one). */
  pValue: number;
  significant: boolean;
}

/**
 * One look of the mSPRT on the difference of two proportions. `tau` is the standard deviation of
 * the normal mixing distribution over effects (absolute rate scale; about the effect one hopes to
 * see); `previousPValue` carries the anytime-valid p-value from the last look.
 */
export function sequentialTest(a: ArmCounts, b: ArmCounts, options: { alpha?: number; tau?: number; previousPValue?: number } = {}): SequentialResult {
  const alpha = options.alpha ?? 0.05;
  const tau = options.tau ?? 0.05;
  const previous = options.previousPValue ?? 1;
  if (a.n === 0 || b.n === 0) return { difference: 0, likelihoodRatio: 1, pValue: previous, significant: previous <= alpha };
  const rateA = a.conversions / a.n;
  const rateB = b.conversions / b.n;
  const difference = rateB - rateA;
  // The variance of the difference; a rate of 0 or 1 says nothing yet about its spread.
  const variance = Math.max(rateA * (1 - rateA), 1e-9) / a.n + Math.max(rateB * (1 - rateB), 1e-9) / b.n;
  const tau2 = tau * tau;
  const likelihoodRatio = Math.sqrt(variance / (variance + tau2)) * Math.exp((difference * difference * tau2) / (2 * variance * (variance + tau2)));
  const pValue = Math.min(previous, 1 / likelihoodRatio);
  return { difference, likelihoodRatio, pValue, significant: pValue <= alpha };
}

/** A plain two-proportion z-test at a fixed horizon: valid once, not when looked at daily. */
export function fixedHorizonPValue(a: ArmCounts, b: ArmCounts): number {
  if (a.n === 0 || b.n === 0) return 1;
  const pooled = (a.conversions + b.conversions) / (a.n + b.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  if (se === 0) return 1;
  const z = (b.conversions / b.n - a.conversions / a.n) / se;
  return 2 * (1 - normalCdf(Math.abs(z)));
}

/** GrowthBook's minimum per metric and arm, and a week so weekdays and weekends both count. */
export const MIN_CONTACTS_PER_ARM = 150;
export const MIN_DAYS = 7;

export type Readiness = { ready: true } | { ready: false; moreContacts: number; moreDays: number };

/**
 * Whether a verdict may be given yet; if not, about how many more contacts (in the smallest arm,
 * times the arms) and days are needed at the current traffic (`contactsPerDay` over all arms).
 */
export function readiness(input: { perArm: readonly number[]; days: number; contactsPerDay: number; required?: number }): Readiness {
  const need = Math.max(MIN_CONTACTS_PER_ARM, input.required ?? 0);
  const smallest = Math.min(...input.perArm);
  const moreContacts = Math.max(0, need - smallest) * input.perArm.length;
  const daysForContacts = moreContacts === 0 ? 0 : input.contactsPerDay > 0 ? Math.ceil(moreContacts / input.contactsPerDay) : Number.POSITIVE_INFINITY;
  const moreDays = Math.max(daysForContacts, MIN_DAYS - input.days, 0);
  if (moreContacts === 0 && moreDays === 0) return { ready: true };
  return { ready: false, moreContacts, moreDays };
}
