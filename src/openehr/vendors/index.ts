import type { OpenEhrConfig } from '../../config/types.js';
import { better } from './better.js';
import { ehrbase } from './ehrbase.js';
import type { Vendor } from './types.js';

export function vendorFor(config: Pick<OpenEhrConfig, 'vendor'>): Vendor {
  return config.vendor === 'better' ? better : ehrbase;
}
