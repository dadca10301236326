/** The error an action rejects with, checked to be of the expected class (fails the test when the action succeeds). */
import assert from 'node:assert/strict';

export async function rejectionOf<T extends Error>(action: () => Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const error = await action().then(
    () => assert.fail(`expected a ${type.name}, but the call succeeded`),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof type, `expected a ${type.name}, got ${String(error)}`);
  return error;
}
