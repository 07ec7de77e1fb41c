/**
 * `np.round` for scalars: round half to even (banker's rounding), used for cell centres.
 * @module
 */

/** Rounds to the nearest integer, ties to the even one, like numpy. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
