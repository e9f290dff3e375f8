/**
 * Writing batch N+1 while batch N is still in flight. Its composition rows are written at once (their ids are
 * disjoint from batch N's, which the caller checks), while everything that may touch a row batch N touches
 * (deletions, watermarks, failure records, cursor) and the COMMIT wait until batch N committed. So batches
 * commit in discovery order (the cursor only moves forward) and neither transaction can wait on a row lock
 * the other holds. `previous` resolves true once batch N committed, false if it failed.
 */
export interface CommitOrder {
  previous: Promise<boolean>;
}

/** The batch before this one failed: this one is rolled back too and must not be retried on its own. */
export class EarlierBatchFailedError extends Error {
  constructor(templateId: string) {
    super(
      `a batch of template ${JSON.stringify(templateId)} was rolled back because the batch before it failed`,
    );
    this.name = 'EarlierBatchFailedError';
  }
}
