/**
 * A compile-time check that a response schema documents a TypeScript type of the farm: the same
 * keys, and every value the schema admits is a value of the type. Used as
 * `true satisfies Describes<typeof schema, Type>;` beside each response schema, so a field added
 * to a view without its schema (or the reverse) fails `tsc`, not a client.
 */
import type { z } from 'zod';

type KeysDiffer<A, B> = Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>;

/** `true` when `Schema` describes `T`; `false` otherwise. */
export type Describes<Schema extends z.ZodType, T> = [z.output<Schema>] extends [T]
  ? [KeysDiffer<z.output<Schema>, T>] extends [never]
    ? true
    : false
  : false;
