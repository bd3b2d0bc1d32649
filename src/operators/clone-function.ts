// Gives each subtask its own copy of a user function object (a ProcessFunction instance), as
// Flink does by deserializing the function per subtask: fields set in open() or changed per
// record must not be shared by the subtasks that run on one thread.

/**
 * Deep-copies `fn`: its own fields are copied recursively (arrays, plain objects, class
 * instances with their prototype, Map, Set, Date, typed arrays); functions and the prototype
 * chain are shared. Cycles are preserved.
 */
export function cloneFunction<T extends object>(fn: T): T {
  return copy(fn, new Map()) as T;
}

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): unknown }).slice();
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof Map) {
    const result = new Map();
    seen.set(value, result);
    for (const [k, v] of value) result.set(copy(k, seen), copy(v, seen));
    return result;
  }
  if (value instanceof Set) {
    const result = new Set();
    seen.set(value, result);
    for (const v of value) result.add(copy(v, seen));
    return result;
  }
  if (value instanceof Promise || value instanceof WeakMap || value instanceof WeakSet) return value;
  const result: Record<PropertyKey, unknown> = Array.isArray(value) ? [] : Object.create(Object.getPrototypeOf(value));
  seen.set(value, result);
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    if ('value' in descriptor) descriptor.value = copy(descriptor.value, seen);
    Object.defineProperty(result, key, descriptor);
  }
  return result;
}
