/**
 * Exact integer arithmetic for money. Products are taken in BigInt so `amount × rate` cannot lose
 * precision past 2^53; results are converted back to number (they are amounts again).
 */

/** `numerator / denominator` rounded half to even (banker's rounding). `denominator` must be > 0. */
export function divRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let quotient = n / denominator;
  const twiceRemainder = (n % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) {
    quotient += 1n;
  }
  return negative ? -quotient : quotient;
}

/** `amount × numerator / denominator`, rounded half to even, as a number. */
export function mulDivRoundHalfEven(amount: number, numerator: number, denominator: number): number {
  return Number(divRoundHalfEven(BigInt(amount) * BigInt(numerator), BigInt(denominator)));
}

/**
 * Splits `total` over `weights` in proportion, with the largest-remainder (Hamilton) method: each
 * share is first floored, then the units left over go one each to the shares with the largest
 * fractional remainders (ties: the earlier index). The shares always sum exactly to `total`.
 * All-zero weights put the whole total nowhere and return zeros only when `total` is 0.
 */
export function allocateLargestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((acc, w) => acc + BigInt(w), 0n);
  if (sum === 0n) return weights.map(() => 0);
  const t = BigInt(total);
  const shares = weights.map((w) => (t * BigInt(w)) / sum);
  const remainders = weights.map((w, index) => ({ index, remainder: (t * BigInt(w)) % sum }));
  let left = Number(t - shares.reduce((acc, s) => acc + s, 0n));
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const { index } of remainders) {
    if (left === 0) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    left -= 1;
  }
  return shares.map(Number);
}
