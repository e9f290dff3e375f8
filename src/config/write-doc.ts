import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import { renderConfigurationDoc } from './doc.js';

/** `npm run docs:config`: regenerates docs/configuration.md from the key catalogue. */
const target = join(packageRoot(), 'docs', 'configuration.md');
writeFileSync(target, renderConfigurationDoc());
process.stdout.write(`wrote ${target}\n`);
