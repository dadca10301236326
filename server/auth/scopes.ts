/**
 * What the admin scope opens: every owner's tasks and the system views (pool, workers, storage,
 * settings, throughput). Everyone else sees their own tasks and the counts of their own queue only.
 */
import { homedir, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { Config } from '../../config/settings.js';
import { validationError } from '../../errors/farm-error.js';
import type { FarmContext } from '../app-deps.js';

/** Refuses the request with 403 FORBIDDEN unless the caller has the admin scope. */
export function requireAdmin(ctx: FarmContext): void {
  if (!ctx.state.admin) throw validationError('FORBIDDEN', `${ctx.path} needs the admin scope (scope=admin in API_KEYS_FILE, or a token whose scope has admin)`);
}

/** The owner whose tasks the caller may see; undefined for an admin, who sees every owner's. */
export function visibleOwner(ctx: FarmContext): string | undefined {
  return ctx.state.admin ? undefined : ctx.state.owner;
}

/**
 * The farm's own folders (storage root, canary goldens, working directory), longest first, which
 * answers name as `…`: a client learns nothing of where the farm keeps its files.
 */
export function hiddenFolders(config: Pick<Config, 'localStorageDir' | 'canaryDir'>): string[] {
  const folders = [resolve(config.localStorageDir), resolve(config.canaryDir), process.cwd(), tmpdir(), homedir()];
  return [...new Set(folders.filter((folder) => folder.length > 1))].sort((a, b) => b.length - a.length);
}

/** `text` with every one of `folders` replaced by `…`. */
export function withoutFolders(text: string, folders: readonly string[]): string {
  return folders.reduce((hidden, folder) => hidden.split(folder).join('…'), text);
}
