/**
 * zod → JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1). Schemas registered with an `id`
 * become `components.schemas` and are referenced by `$ref`; the rest is inlined where used.
 */
import { z } from 'zod';

/** A JSON Schema object as the document holds it. */
export type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

// Requests are described as clients write them: fields with a default are optional.
const OPTIONS = { io: 'input', unrepresentable: 'any' } as const;

function withoutDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, id: _zodId, ...rest } = schema;
  return rest;
}

/** Every schema registered with an `id`, as `components.schemas`. */
export function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { ...OPTIONS, uri: (id) => `${COMPONENTS}${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutDialect(schema as JsonSchema)]));
}

/** `{$ref}` to the component of a registered schema. */
export function refTo(schema: z.ZodType): JsonSchema {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('refTo: the schema has no id; register it with .meta({ id })');
  return { $ref: `${COMPONENTS}${id}` };
}

/** The JSON Schema of an unregistered schema, inlined. */
export function inlineSchema(schema: z.ZodType): JsonSchema {
  return withoutDialect(z.toJSONSchema(schema, OPTIONS) as JsonSchema);
}
