/**
 * Records keyed by names that come from a file or a user. A name is data, never a
 * property of Object.prototype: `constructor`, `toString` and `__proto__` are ordinary
 * secret names and `constructor` an ordinary environment name. On a plain `{}`,
 * `record.constructor` answers for a secret that does not exist and assigning
 * `record.__proto__` changes the prototype instead of adding an entry.
 */

/** An empty record without a prototype: every key it answers for is one it was given. */
export function nameRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The entry under `name`, or undefined: never something inherited from Object.prototype. */
export function ownEntry<T>(record: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
