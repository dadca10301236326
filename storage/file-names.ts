/** File names of stored results: the extension each kind of file is stored under. */

/** What the farm stores: an image of each output type, or a ZIP report. */
export type StoredFileType = 'png' | 'jpeg' | 'webp' | 'svg' | 'pdf' | 'zip';

const EXTENSIONS: Record<StoredFileType, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', svg: 'svg', pdf: 'pdf', zip: 'zip' };

/** `name.ext` for a file of `type` (`jpeg` is stored as `.jpg`). */
export function fileNameFor(name: string, type: StoredFileType): string {
  return `${name}.${EXTENSIONS[type]}`;
}
