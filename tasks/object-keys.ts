/**
 * Where a task's image is stored: `prefix/ossPath/YYYY/MM/DD/taskId.ext`. Date folders keep any
 * one folder small and let an operator find or drop a day by hand; the request's `ossPath` is
 * checked here, before the task is queued, so a bad one is a 400 and never a failed upload.
 */
import { validationError, type FarmError } from '../errors/farm-error.js';
import { fileNameFor, type StoredFileType } from '../storage/file-names.js';
import { pathProblem } from '../storage/key-rules.js';

export { fileNameFor, type StoredFileType } from '../storage/file-names.js';

/** Longest accepted `ossPath`, in characters. */
export const MAX_OSS_PATH_LENGTH = 256;

/** What a task stores: an image, or the archive of an export. */

const PORTABLE_CHARACTER = /^[A-Za-z0-9._-]$/;
// Letters only: CJK punctuation such as "。" or the fullwidth slash "／" stays out, since it looks
// like a separator but is not one. scx (not sc) admits the prolonged sound mark "ー" of katakana.
const LETTER = /^[\p{L}\p{Nl}]$/u;
const CJK_SCRIPT = /^[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]$/u;

export interface ObjectKeyParts {
  /** The driver's path prefix (OSS_PATH_PREFIX, S3_PATH_PREFIX); empty or null for none. */
  prefix: string | null;
  /** The request's folder, already through `validateOssPath`; null for none. */
  ossPath: string | null;
  taskId: string;
  type: StoredFileType;
  /** When the task was created; the date folders are its UTC date. */
  createdAt: string | Date;
}

/** The object key of a task's image; empty parts are left out and slashes at their ends dropped. */
export function objectKeyFor(parts: ObjectKeyParts): string {
  const created = new Date(parts.createdAt);
  if (Number.isNaN(created.getTime())) throw new TypeError(`createdAt ${String(parts.createdAt)} is not a date`);
  if (!/^[A-Za-z0-9-]+$/.test(parts.taskId)) throw new TypeError(`taskId ${JSON.stringify(parts.taskId)} is not a task id`);
  const date = [
    String(created.getUTCFullYear()).padStart(4, '0'),
    String(created.getUTCMonth() + 1).padStart(2, '0'),
    String(created.getUTCDate()).padStart(2, '0'),
  ];
  return [trimSlashes(parts.prefix ?? ''), trimSlashes(parts.ossPath ?? ''), ...date, fileNameFor(parts.taskId, parts.type)]
    .filter((part) => part !== '')
    .join('/');
}

/**
 * Checks a request's `ossPath` and returns it without a leading or trailing slash, or null when
 * absent or empty. Throws VALIDATION_ERROR / INVALID_REQUEST (field `ossPath`) for anything that
 * could leave the folder, hide in logs, or not survive every driver.
 */
export function validateOssPath(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw ossPathError('must be a string');
  if ([...value].length > MAX_OSS_PATH_LENGTH) throw ossPathError(`must be at most ${MAX_OSS_PATH_LENGTH} characters long`);
  // One slash at each end is a habit ("/charts/", "reports/"); "//host/x" stays absolute below.
  const path = value.replace(/^\//, '').replace(/\/$/, '');
  if (path === '') return null;
  const problem = pathProblem(path);
  if (problem !== null) throw ossPathError(problem);
  const foreign = [...path].find((character) => character !== '/' && !isAllowedCharacter(character));
  if (foreign !== undefined) {
    throw ossPathError(`must contain only letters A-Z and a-z, digits, ".", "_", "-", "/" and CJK letters, not ${JSON.stringify(foreign)}`);
  }
  return path;
}

function isAllowedCharacter(character: string): boolean {
  return PORTABLE_CHARACTER.test(character) || (LETTER.test(character) && CJK_SCRIPT.test(character));
}

function ossPathError(problem: string): FarmError {
  return validationError('INVALID_REQUEST', `ossPath ${problem}`, { field: 'ossPath', problem });
}

function trimSlashes(part: string): string {
  return part.replace(/^\/+|\/+$/g, '');
}
