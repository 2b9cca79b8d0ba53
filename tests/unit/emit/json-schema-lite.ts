// A minimal JSON Schema checker for tests/schemas/jsonfeed-1.1.schema.json (no ajv in the project).
// It supports only the keywords that schema uses: $ref (local), type, const, required, properties,
// patternProperties, additionalProperties (boolean), items, anyOf, minLength, minimum, and the formats
// "uri" (absolute, parseable) and "date-time" (RFC 3339 with a time zone). Unknown keywords throw, so
// the schema cannot silently rely on one this checker ignores.
type Schema = { readonly [key: string]: unknown };

const KNOWN = new Set([
  '$schema',
  '$id',
  '$defs',
  '$ref',
  'title',
  'description',
  'type',
  'const',
  'required',
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'anyOf',
  'minLength',
  'minimum',
  'format',
]);

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Every violation as `path: message`; empty when the value is valid. */
export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  check(root, root, value, '$', errors);
  return errors;
}

function check(root: Schema, schema: Schema, value: unknown, path: string, errors: string[]): void {
  for (const k of Object.keys(schema))
    if (!KNOWN.has(k)) throw new Error(`schema keyword not supported: ${k}`);
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const name = ref.replace(/^#\/\$defs\//, '');
    const target = (root['$defs'] as Record<string, Schema> | undefined)?.[name];
    if (!target) throw new Error(`unresolved $ref ${ref}`);
    check(root, target, value, path, errors);
  }
  const type = schema['type'];
  if (typeof type === 'string' && !hasType(value, type)) {
    errors.push(`${path}: expected ${type}, got ${JSON.stringify(value)}`);
    return;
  }
  if ('const' in schema && value !== schema['const'])
    errors.push(`${path}: expected ${JSON.stringify(schema['const'])}`);
  if (typeof value === 'string') {
    const min = schema['minLength'];
    if (typeof min === 'number' && [...value].length < min) errors.push(`${path}: shorter than ${min}`);
    const format = schema['format'];
    if (format === 'uri' && !isAbsoluteUri(value)) errors.push(`${path}: not an absolute URI: ${value}`);
    if (format === 'date-time' && !(RFC3339.test(value) && !Number.isNaN(Date.parse(value))))
      errors.push(`${path}: not an RFC 3339 date-time: ${value}`);
  }
  if (typeof value === 'number') {
    const min = schema['minimum'];
    if (typeof min === 'number' && value < min) errors.push(`${path}: below ${min}`);
  }
  if (Array.isArray(value) && schema['items'])
    value.forEach((v, i) => {
      check(root, schema['items'] as Schema, v, `${path}[${i}]`, errors);
    });
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const r of (schema['required'] as string[] | undefined) ?? [])
      if (!(r in obj)) errors.push(`${path}: missing required "${r}"`);
    const props = (schema['properties'] as Record<string, Schema> | undefined) ?? {};
    const patterns = Object.entries(
      (schema['patternProperties'] as Record<string, Schema> | undefined) ?? {},
    );
    for (const [k, v] of Object.entries(obj)) {
      const p = props[k];
      const matched = patterns.filter(([re]) => new RegExp(re).test(k));
      if (p) check(root, p, v, `${path}.${k}`, errors);
      for (const [, s] of matched) check(root, s, v, `${path}.${k}`, errors);
      if (!p && matched.length === 0 && schema['additionalProperties'] === false)
        errors.push(`${path}: unexpected key "${k}"`);
    }
  }
  const anyOf = schema['anyOf'] as Schema[] | undefined;
  const passes = (s: Schema): boolean => {
    const e: string[] = [];
    check(root, s, value, path, e);
    return e.length === 0;
  };
  if (anyOf && !anyOf.some(passes)) errors.push(`${path}: matches none of anyOf`);
}

function hasType(v: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'integer':
      return Number.isInteger(v);
    case 'null':
      return v === null;
    default:
      return typeof v === type;
  }
}

function isAbsoluteUri(s: string): boolean {
  try {
    return /^[a-z][a-z0-9+.-]*:/i.test(s) && Boolean(new URL(s));
  } catch {
    return false;
  }
}
