import { closeSync, existsSync, fstatSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { makePrivateDir, PRIVATE_FILE_MODE, tightenOpenFile } from '../util/private-files.js';

export interface RotatingFileOptions {
  dir: string;
  rotation: 'daily' | 'size';
  maxBytes: number;
  /** Injectable clock (tests of the daily switch). */
  now?: () => Date;
}

/**
 * JSON log lines in `dir` ([logging] local_*): `daily` writes atlas.log.YYYY-MM-DD (UTC, the original's
 * naming); `size` writes atlas.log and renames it to atlas.log.<timestamp> before it would exceed maxBytes.
 * Writes are synchronous so nothing is lost when the process exits; no retention (operators use logrotate
 * or a cron job, as documented).
 */
export class RotatingFile {
  private fd: number | undefined;
  private currentName = '';
  private size = 0;
  private readonly now: () => Date;

  constructor(private readonly options: RotatingFileOptions) {
    this.now = options.now ?? (() => new Date());
  }

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    const name =
      this.options.rotation === 'daily' ? `atlas.log.${this.now().toISOString().slice(0, 10)}` : 'atlas.log';
    if (this.fd !== undefined && name !== this.currentName) this.close();
    if (
      this.fd !== undefined &&
      this.options.rotation === 'size' &&
      this.size > 0 &&
      this.size + bytes > this.options.maxBytes
    ) {
      this.close();
      const stamp = this.now().toISOString().replace(/[-:]/g, '').replace('.', '');
      let rolled = join(this.options.dir, `${name}.${stamp}`);
      for (let n = 1; existsSync(rolled); n++) rolled = join(this.options.dir, `${name}.${stamp}-${n}`);
      renameSync(join(this.options.dir, name), rolled);
    }
    if (this.fd === undefined) this.open(name);
    writeSync(this.fd!, line);
    this.size += bytes;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private open(name: string): void {
    // Log lines name templates, ids and errors: private to the owner, like the data they describe.
    makePrivateDir(this.options.dir);
    this.fd = openSync(join(this.options.dir, name), 'a', PRIVATE_FILE_MODE);
    tightenOpenFile(this.fd);
    this.currentName = name;
    this.size = fstatSync(this.fd).size;
  }
}
