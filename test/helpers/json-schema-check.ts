/**
 * Checks a JSON value against a schema of the OpenAPI document, resolving `$ref`s in it. Covers the
 * keywords the farm's document uses. Stricter than JSON Schema on one point, on purpose: a field
 * the schema does not list (and no `additionalProperties` allows) is reported as undocumented, so
 * a field added to an answer without its schema fails the contract test.
 */

type Schema = Record<string, unknown>;

function resolve(schema: Schema, document: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const target = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], document);
  if (!target) throw new Error(`unresolved $ref ${ref}`);
  return resolve(target as Schema, document);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  const actual = typeOf(value);
  return types.some((expected) => expected === actual || (expected === 'number' && actual === 'integer'));
}

function checkNumber(value: number, schema: Schema, at: string): string[] {
  const problems: string[] = [];
  if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${at}: ${value} < minimum ${schema.minimum}`);
  if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${at}: ${value} > maximum ${schema.maximum}`);
  return problems;
}

function checkString(value: string, schema: Schema, at: string): string[] {
  const problems: string[] = [];
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) problems.push(`${at}: longer than ${schema.maxLength}`);
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) problems.push(`${at}: shorter than ${schema.minLength}`);
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) problems.push(`${at}: does not match ${schema.pattern}`);
  return problems;
}

function checkObject(value: Record<string, unknown>, schema: Schema, document: Schema, at: string): string[] {
  const problems: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const name of (schema.required ?? []) as string[]) {
    if (!(name in value)) problems.push(`${at}.${name}: required but missing`);
  }
  const additional = schema.additionalProperties;
  for (const [name, field] of Object.entries(value)) {
    if (properties[name]) problems.push(...schemaProblems(field, properties[name], document, `${at}.${name}`));
    else if (typeof additional === 'object' && additional !== null) problems.push(...schemaProblems(field, additional as Schema, document, `${at}.${name}`));
    else if (additional !== true) problems.push(`${at}.${name}: not in the document`);
  }
  return problems;
}

/** Every way `value` departs from `schema`; empty when it conforms. */
export function schemaProblems(value: unknown, schemaOrRef: Schema, document: Schema, at = '$'): string[] {
  const schema = resolve(schemaOrRef, document);
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) {
    const results = alternatives.map((alternative) => schemaProblems(value, alternative, document, at));
    if (results.some((problems) => problems.length === 0)) return [];
    return [`${at}: matches none of ${alternatives.length} alternatives (${results.map((problems) => problems[0]).join(' | ')})`];
  }
  if ('const' in schema && schema.const !== value) return [`${at}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`];
  if (schema.type !== undefined && !matchesType(value, schema.type)) return [`${at}: ${typeOf(value)} where ${String(schema.type)} is documented`];
  if (typeof value === 'number') return checkNumber(value, schema, at);
  if (typeof value === 'string') return checkString(value, schema, at);
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    return items ? value.flatMap((item, index) => schemaProblems(item, items, document, `${at}[${index}]`)) : [];
  }
  if (value !== null && typeof value === 'object' && (schema.properties || schema.additionalProperties !== undefined)) {
    return checkObject(value as Record<string, unknown>, schema, document, at);
  }
  return [];
}
