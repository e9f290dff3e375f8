import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AnonymizationConfig } from '../config/types.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, tightenOpenFile } from '../util/private-files.js';
import { AuditLines } from './audit-lines.js';
import type { Finding } from './types.js';

const FLUSH_EVERY_LINES = 1_000;

export interface AuditLog {
  /** Buffers one line per finding; written in batches. Never receives values, only their keyed hashes. */
  record(findings: readonly Finding[], compositionUid: string, templateId?: string): void;
  /** Writes what is buffered (call after each committed batch to keep the log in step with the data). */
  flush(): Promise<void>;
  /** Flushes and closes the file; the first write error, if any, is thrown here. */
  close(): Promise<void>;
}

export interface AuditLogOptions {
  now?: () => Date;
  flushEveryLines?: number;
}

/**
 * Opens (appending, creating the directory and the file with mode 0600) the anonymisation audit log:
 * JSON lines `{"ts","composition_uid","template_id","path","category","strategy","detector","value_hash"}`
 * when `json_format` is true, otherwise one plain `ts | uid | template | path | category | strategy |
 * detector | value_hash` line per finding. `value_hash` is the finding's keyed hash: an auditor holding the
 * key can check whether a given value was replaced, nobody without it can recover or dictionary-test one.
 */
export async function openAuditLog(
  cfg: AnonymizationConfig['audit'],
  options: AuditLogOptions = {},
): Promise<AuditLog> {
  const now = options.now ?? (() => new Date());
  const flushEvery = options.flushEveryLines ?? FLUSH_EVERY_LINES;
  try {
    await mkdir(dirname(cfg.logPath), { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (cause) {
    throw new Error(`cannot create the directory of the anonymization audit log ${cfg.logPath}`, { cause });
  }
  const file = await open(cfg.logPath, 'a', PRIVATE_FILE_MODE).catch((cause: unknown) => {
    throw new Error(`cannot open the anonymization audit log ${cfg.logPath} for appending`, { cause });
  });
  // A log created before Atlas made it private (or by hand) is tightened: it names compositions.
  tightenOpenFile(file.fd);
  const pending = new AuditLines();
  let writing: Promise<void> = Promise.resolve();
  let failure: Error | undefined;
  let closed = false;

  const flush = (): Promise<void> => {
    if (pending.lines > 0) {
      const chunk = pending.take();
      writing = writing.then(async () => {
        if (failure) return;
        try {
          await file.appendFile(chunk);
        } catch (cause) {
          failure = new Error(`cannot write the anonymization audit log ${cfg.logPath}`, { cause });
        }
      });
    }
    return writing.then(() => {
      if (failure) throw failure;
    });
  };

  return {
    record(findings, compositionUid, templateId = '') {
      if (closed) throw new Error('the anonymization audit log is already closed');
      if (findings.length === 0) return;
      const ts = now().toISOString();
      if (cfg.jsonFormat) pending.addJson(findings, ts, compositionUid, templateId);
      else pending.addPlain(findings, ts, compositionUid, templateId);
      if (pending.lines >= flushEvery) void flush().catch(() => undefined);
    },
    flush,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await flush();
      } finally {
        await file.close();
      }
    },
  };
}
