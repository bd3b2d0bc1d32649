// Code generated at run time for one record shape (the column codec's writers and builders, the
// rolling aggregations' copiers): whether this thread may generate code, running generated
// source, and the check that a value is a plain object with exactly a shape's keys.

/**
 * Runs generated source, which returns the generated function. Keys enter the source only as JSON
 * string literals, which are valid JavaScript string literals for any key.
 */
export function generate(parameters: string[], body: string): (...args: unknown[]) => unknown {
  return new Function(...parameters, body) as (...args: unknown[]) => unknown;
}

/**
 * Whether this thread may generate code: not under `--disallow-code-generation-from-strings`, in
 * which case callers take their generic path.
 */
export const CAN_GENERATE_CODE = ((): boolean => {
  try {
    generate([], '');
    return true;
  } catch {
    return false;
  }
})();

/**
 * Source that runs `onMismatch` (a statement, such as a return) unless `v` is a plain object with
 * exactly `keys`, in order. A plain object's `constructor` is Object (a class instance's is its
 * class, a null-prototype object has none; Object.getPrototypeOf costs several times more).
 * `for in` lists own enumerable string keys in order (and inherited enumerable ones, of which
 * Object.prototype has none unless polluted, in which case no value matches); comparing each with
 * a literal finds another order, an extra or a missing key without allocating. Symbol keys are not
 * seen: records that crossed a thread never have them.
 */
export function plainObjectCheck(keys: readonly string[], onMismatch: string): string {
  const cases = keys.map((key, j) => `case ${j}: if (key !== ${JSON.stringify(key)}) ${onMismatch} break;`);
  return `if (typeof v !== 'object' || v === null || v.constructor !== Object) ${onMismatch}
    let n = 0;
    for (const key in v) {
      switch (n++) {
        ${cases.join('\n')}
        default: ${onMismatch}
      }
    }
    if (n !== ${keys.length}) ${onMismatch}`;
}
