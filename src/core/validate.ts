// Argument checks for the public API: each failure says what was passed and what is expected.

/** Returns `value` if it is an integer >= 1, else throws a RangeError naming `where`. */
export function requirePositiveInteger(value: number, where: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${where}(${String(value)}): expected a whole number of at least 1, such as 1, 2 or 4.`);
  }
  return value;
}

/** Returns `fn` if it is a function, else throws a TypeError naming `where`. */
export function requireFunction<F>(fn: F, where: string): F {
  if (typeof fn !== 'function') {
    throw new TypeError(`${where} expects a function, got ${fn === null ? 'null' : typeof fn}. Pass a lambda, e.g. ${where}((value) => ...).`);
  }
  return fn;
}
