// The REST API's JSON Schema, generated from its TypeScript contract (src/runtime/monitor/rest-types.ts)
// with ts-json-schema-generator, and a check of an answer against one of its types with ajv.

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { createGenerator } from 'ts-json-schema-generator';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let validators: Map<string, ValidateFunction> | undefined;

/** The validator of type `name` of the contract: every field present, no field it does not name. */
function validator(name: string): ValidateFunction {
  validators ??= new Map();
  let validate = validators.get(name);
  if (validate === undefined) {
    const schema = createGenerator({ path: `${root}src/runtime/monitor/rest-types.ts`, tsconfig: `${root}tsconfig.json`, type: name, additionalProperties: false, skipTypeCheck: true }).createSchema(name);
    validate = new Ajv({ allErrors: true }).compile(schema);
    validators.set(name, validate);
  }
  return validate;
}

/** Asserts that `value` is a `name` of the REST contract. */
export function assertMatchesSchema(value: unknown, name: string): void {
  const validate = validator(name);
  assert.ok(validate(value), `not a ${name}: ${JSON.stringify(validate.errors, null, 1).slice(0, 2000)}`);
}
