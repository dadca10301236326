/**
 * The readiness canary's goldens: one PNG per render fingerprint, `<CANARY_DIR>/<fingerprint>.png`.
 * Under one fingerprint the canary must always draw the same pixels, so the first render under a
 * new fingerprint becomes its golden and every later one is compared with it. Several farm
 * processes may share the folder: a golden is written once and never replaced.
 */
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Reads and adopts canary goldens in one folder. */
export class CanaryGoldens {
  constructor(readonly dir: string) {}

  /** Where the golden of `fingerprint` lives. */
  pathOf(fingerprint: string): string {
    return join(this.dir, `${fingerprint}.png`);
  }

  /** The golden of `fingerprint`, or undefined when there is none yet. */
  async read(fingerprint: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(fingerprint));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * Makes `png` the golden of `fingerprint` unless another process was first; answers the golden
   * that stands afterwards, so a race between two processes ends with both comparing to one image.
   */
  async adopt(fingerprint: string, png: Buffer): Promise<{ golden: Buffer; created: boolean }> {
    await mkdir(this.dir, { recursive: true });
    const target = this.pathOf(fingerprint);
    // Written aside, then linked: a reader never sees half a file, and link fails if one exists.
    const draft = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(draft, png);
    try {
      await link(draft, target);
      return { golden: png, created: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return { golden: (await this.read(fingerprint)) ?? png, created: false };
    } finally {
      await unlink(draft).catch(() => undefined);
    }
  }
}
