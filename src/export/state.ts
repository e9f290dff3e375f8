import type { Store } from '../store/types.js';

/** What the engine reads from the store; a dry run on an unmigrated database reads it as empty. */
export type StateReader = Pick<
  Store,
  'getCursor' | 'getStoredVersions' | 'hasStoredRows' | 'pendingFailures' | 'listStored'
>;

export const emptyState: StateReader = {
  async getCursor() {
    return null;
  },
  async getStoredVersions() {
    return new Map();
  },
  async hasStoredRows() {
    return false;
  },
  async pendingFailures() {
    return [];
  },
  async *listStored() {},
};
