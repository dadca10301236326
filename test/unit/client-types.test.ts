/**
 * The client declares its own types so that its package stands alone; this test holds them equal to
 * the farm's declarations. The assertions are types: the test compiles this file with tsc, and a
 * field added, removed or changed on either side fails it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type * as Client from '../../client/index.js';
import type { ErrorReason, ErrorType } from '../../errors/farm-error.js';
import { packageRoot } from '../../renderer/package-root.js';
import type { generateBodySchema } from '../../server/chart-requests.js';
import type { AttemptError, TaskPriority, TaskStatus } from '../../tasks/task.js';
import type { TaskView } from '../../tasks/task-view.js';

/** True when each type is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type GenerateFields = Omit<z.input<typeof generateBodySchema>, 'option' | 'async' | 'base64'>;

export const clientAgreesWithFarm: [
  Same<Omit<Client.ChartSpec, 'option'>, GenerateFields>,
  Same<Client.TaskView, TaskView>,
  Same<Client.AttemptError, AttemptError>,
  Same<Client.TaskStatus, TaskStatus>,
  Same<Client.TaskPriority, TaskPriority>,
  Same<Client.ErrorType, ErrorType>,
  Same<Client.ErrorReason, ErrorReason>,
] = [true, true, true, true, true, true, true];

it("the client's own types are the farm's (tsc on this file)", () => {
  const tsc = join(packageRoot(), 'node_modules', 'typescript', 'bin', 'tsc');
  const flags = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--lib', 'ES2022,DOM', '--types', 'node'];
  const run = spawnSync(process.execPath, [tsc, ...flags, fileURLToPath(import.meta.url)], { cwd: packageRoot(), encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, run.stdout + run.stderr);
});
