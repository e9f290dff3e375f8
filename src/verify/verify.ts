import type { ContentPreparer } from '../content/preparer.js';
import type { Logger } from '../context.js';
import type { OpenEhrClient } from '../openehr/types.js';
import type { Store } from '../store/types.js';
import { chunks } from '../util/chunks.js';
import { comparePage, type LiveEntry, type Matched, reportMissing } from './compare.js';
import { checkContents } from './content-check.js';
import { Reservoir } from './reservoir.js';
import { emptyIssues, ISSUE_KINDS, type TemplateVerification, type VerifyReport } from './types.js';

export interface VerifyDeps {
  client: OpenEhrClient;
  store: Pick<Store, 'listStored' | 'getContents'>;
  /** The export's anonymise + transform path (without audit), to recompute what should be stored. */
  content: ContentPreparer;
  logger: Logger;
  signal: AbortSignal;
  now?: () => number;
}

export interface VerifyOptions {
  templateIds: string[];
  /** Compare the content of a seeded random sample of this many compositions per template (all when absent). */
  sample?: number;
  seed: number;
  pageSize: number;
  concurrency: number;
}

/**
 * Reconciles the source with the target, per template: counts, missing / extra / stale versions by
 * versioned-object id and version uid, then content checksums (all matching compositions or a sample).
 * Memory: one map entry per live source composition of the template being verified.
 */
export async function verify(deps: VerifyDeps, opts: VerifyOptions): Promise<VerifyReport> {
  const now = deps.now ?? Date.now;
  const started = now();
  const templates: TemplateVerification[] = [];
  for (const templateId of opts.templateIds) {
    deps.signal.throwIfAborted();
    templates.push(await verifyTemplate(deps, opts, templateId));
  }
  return {
    consistent: templates.every((t) => t.consistent),
    ...(opts.sample !== undefined ? { sample: opts.sample } : {}),
    seed: opts.seed,
    durationMs: now() - started,
    templates,
  };
}

async function verifyTemplate(
  deps: VerifyDeps,
  opts: VerifyOptions,
  templateId: string,
): Promise<TemplateVerification> {
  const { client, store, signal } = deps;
  const live = new Map<string, LiveEntry>();
  for await (const page of client.listLive(templateId, { pageSize: opts.pageSize, signal })) {
    for (const c of page) live.set(c.objectId, { ehrId: c.ehrId, uid: c.uid });
  }
  const sourceCount = live.size;
  const issues = emptyIssues();
  const checkDeps = { client, store, content: deps.content, concurrency: opts.concurrency, signal };
  const reservoir = opts.sample !== undefined ? new Reservoir<Matched>(opts.sample, opts.seed) : undefined;
  let pending: Matched[] = [];
  let storedCount = 0;
  let candidates = 0;
  let checked = 0;
  for await (const page of store.listStored(templateId, opts.pageSize)) {
    storedCount += comparePage(
      live,
      page,
      (id) => deps.content.storedEhrId(id),
      issues,
      (m) => {
        candidates++;
        if (reservoir) reservoir.offer(m);
        else pending.push(m);
      },
    ).storedLive;
    if (pending.length >= opts.pageSize) {
      await checkContents(checkDeps, templateId, pending, issues);
      checked += pending.length;
      pending = [];
    }
  }
  reportMissing(live, issues);
  for (const chunk of chunks(reservoir ? reservoir.take() : pending, opts.pageSize)) {
    await checkContents(checkDeps, templateId, chunk, issues);
    checked += chunk.length;
  }
  const consistent = ISSUE_KINDS.every((k) => issues[k].count === 0);
  deps.logger.info({ templateId, sourceCount, storedCount, checked, consistent }, 'template verified');
  return {
    templateId,
    sourceCount,
    storedCount,
    issues,
    contentChecked: checked,
    contentCandidates: candidates,
    consistent,
  };
}
