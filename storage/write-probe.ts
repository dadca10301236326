/**
 * The connectivity check of the remote drivers: write a small object below the path prefix, then
 * delete it. Two calls prove the endpoint, bucket, region, key and both permissions the farm needs
 * (retention deletes), which a bucket listing or a HEAD would not.
 */
import { randomUUID } from 'node:crypto';
import type { ObjectStore } from './object-store.js';

/** Puts and deletes a probe object; throws the StorageError of the step that failed. */
export async function probeWriteAndDelete(store: Pick<ObjectStore, 'put' | 'delete'>, pathPrefix: string): Promise<void> {
  const key = [pathPrefix, `.echarts-farm-probe-${randomUUID()}.txt`].filter((part) => part !== '').join('/');
  await store.put(key, Buffer.from('echarts-farm storage check; safe to delete\n'), { contentType: 'text/plain', cacheControl: 'no-store' });
  await store.delete(key);
}
