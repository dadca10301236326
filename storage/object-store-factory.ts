/**
 * Builds the driver STORAGE names from its settings, after checking them: a driver with a missing
 * or invalid setting is never built, and the problems name the variables to fix.
 */
import { LocalObjectStore } from './local-store.js';
import type { ObjectStore, StorageDriver } from './object-store.js';
import { ossSettingsProblems, ossStoreOptions, type OssSettings } from './oss-options.js';
import { s3SettingsProblems, s3StoreOptions, type S3Settings } from './s3-options.js';
import { normalizePrefix } from './settings-problems.js';
import { StorageError } from './storage-error.js';
import type { RetryPolicy } from './transient-retry.js';

/** The settings of every driver; only those of `driver` are read. */
export interface ObjectStoreSettings {
  driver: StorageDriver;
  /** LOCAL_STORAGE_DIR */
  localRoot: string;
  oss: OssSettings;
  s3: S3Settings;
  /** Retries of uploads and deletes on the remote drivers. @defaultValue 3 attempts, 200 ms backoff */
  retry?: RetryPolicy;
}

/** What is wrong with the settings of the chosen driver, one sentence per variable; empty when nothing is. */
export function objectStoreProblems(settings: ObjectStoreSettings): string[] {
  switch (settings.driver) {
    case 'local':
      return settings.localRoot.trim() === '' ? ['LOCAL_STORAGE_DIR is required with STORAGE=local: the folder of the images.'] : [];
    case 'oss':
      return ossSettingsProblems(settings.oss);
    case 's3':
      return s3SettingsProblems(settings.s3);
  }
}

/** The folder every object key starts with (OSS_PATH_PREFIX, S3_PATH_PREFIX), without end slashes; empty for local. */
export function objectKeyPrefix(settings: ObjectStoreSettings): string {
  if (settings.driver === 'oss') return normalizePrefix(settings.oss.pathPrefix);
  if (settings.driver === 's3') return normalizePrefix(settings.s3.pathPrefix);
  return '';
}

/**
 * The driver of `settings.driver`. Throws MISCONFIGURED listing every problem when its settings
 * are not usable; nothing is contacted (see `ObjectStore.check`). The remote drivers are loaded
 * only when chosen: each client library adds ~150 ms to a start that does not use it.
 */
export async function createObjectStore(settings: ObjectStoreSettings): Promise<ObjectStore> {
  const problems = objectStoreProblems(settings);
  if (problems.length > 0) throw new StorageError({ code: 'MISCONFIGURED', message: `STORAGE=${settings.driver} cannot start: ${problems.join(' ')}` });
  switch (settings.driver) {
    case 'local':
      return new LocalObjectStore({ root: settings.localRoot });
    case 'oss': {
      const { OssObjectStore } = await import('./oss-store.js');
      return new OssObjectStore({ ...ossStoreOptions(settings.oss), retry: settings.retry });
    }
    case 's3': {
      const { S3ObjectStore } = await import('./s3-store.js');
      return new S3ObjectStore({ ...s3StoreOptions(settings.s3), retry: settings.retry });
    }
  }
}
