import { type ContentPreparer, openPrivacy } from '../content/index.js';
import type { AppContext } from '../context.js';
import { createOpenEhrClient } from '../openehr/index.js';
import type { OpenEhrClient } from '../openehr/types.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import type { VerifyReport } from '../verify/types.js';
import { verify } from '../verify/verify.js';

/** Seed of the verification sample when none is given: fixed, so a failed check can be repeated exactly. */
export const DEFAULT_VERIFY_SEED = 1;

export interface VerifyOptions {
  /** Compositions per template whose content is compared (default: `[verification] sample`). */
  sample?: number;
  seed?: number;
}

/**
 * `atlas verify`: the source against the target for the configured templates. The content is recomputed
 * through the export's own content path (anonymised the same way), so checksums compare like for like. The
 * database is only read: 'read' access lets a SELECT-only role run it.
 */
export async function verifyExport(ctx: AppContext, opts: VerifyOptions): Promise<VerifyReport> {
  const privacy = await openPrivacy(ctx, { forVerify: true });
  const client = createOpenEhrClient(ctx);
  try {
    const store = await openStore(ctx, { access: 'read' });
    try {
      return await verifyWith(ctx, { client, store, content: privacy.content }, opts);
    } finally {
      await store.close();
    }
  } finally {
    await client.close();
    await privacy.close();
  }
}

/** Verification right after an export, over the export's open client and store. */
export async function verifyAfterExport(
  ctx: AppContext,
  deps: { client: OpenEhrClient; store: Store },
): Promise<VerifyReport> {
  const privacy = await openPrivacy(ctx, { forVerify: true });
  try {
    return await verifyWith(ctx, { ...deps, content: privacy.content }, {});
  } finally {
    await privacy.close();
  }
}

function verifyWith(
  ctx: AppContext,
  deps: { client: OpenEhrClient; store: Store; content: ContentPreparer },
  opts: VerifyOptions,
): Promise<VerifyReport> {
  const q = ctx.config.openehr.query;
  return verify(
    { ...deps, logger: ctx.logger, signal: ctx.signal },
    {
      templateIds: q.templateIds,
      sample: opts.sample ?? ctx.config.verification.sample,
      seed: opts.seed ?? DEFAULT_VERIFY_SEED,
      pageSize: q.batchSize,
      concurrency: q.parallelEhrs,
    },
  );
}
