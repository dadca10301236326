/**
 * What the admin scope opens: every owner's tasks and the system views (pool, workers, storage,
 * settings, throughput). Everyone else sees their own tasks and the counts of their own queue only.
 */
import { validationError } from '../../errors/farm-error.js';
import type { FarmContext } from '../app-deps.js';

/** Refuses the request with 403 FORBIDDEN unless the caller has the admin scope. */
export function requireAdmin(ctx: FarmContext): void {
  if (!ctx.state.admin) throw validationError('FORBIDDEN', `${ctx.path} needs the admin scope (scope=admin in API_KEYS_FILE, or a token whose scope has admin)`, {}, 403);
}

/** The owner whose tasks the caller may see; undefined for an admin, who sees every owner's. */
export function visibleOwner(ctx: FarmContext): string | undefined {
  return ctx.state.admin ? undefined : ctx.state.owner;
}

/** An absolute file path shown as its last part (`/srv/farm/data/golden.png` → `…/golden.png`). */
const ABSOLUTE_PATH = /(^|[\s'"(=:])(\/(?:[^\s'"()/]+\/)+)([^\s'"()/]*)/g;

/** `text` without the folders of absolute paths: answers do not tell where the farm keeps its files. */
export function withoutFolders(text: string): string {
  return text.replace(ABSOLUTE_PATH, (_match, before: string, _folders: string, last: string) => `${before}…/${last}`);
}
