import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** IPTC's ninjs schemas and test suite, as copied into shared/refs (see its SOURCE.txt). */
export const NINJS_REFS = fileURLToPath(new URL('../../../shared/refs/ninjs/', import.meta.url));

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

let ajv: Ajv2020 | null = null;

/**
 * A validator for IPTC's ninjs schema of one version (draft 2020-12), with the offline
 * GeoJSON schema registered under its remote $id, formats checked.
 */
export function ninjsValidator(version: '2.1' | '3.0'): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema(readJson(`${NINJS_REFS}validation/test_suite/GeoJSON-schema.json`));
  }
  const schema = readJson(`${NINJS_REFS}specification/ninjs-schema_${version}.json`);
  return ajv.getSchema(schema.$id as string) ?? ajv.compile(schema);
}

/** Asserts-style helper: the validator's errors as readable text, or '' when valid. */
export function ninjsErrors(version: '2.1' | '3.0', doc: unknown): string {
  const validate = ninjsValidator(version);
  return validate(doc) ? '' : JSON.stringify(validate.errors, null, 1);
}
