import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliEnv, ensureBuilt, finished, ROOT } from './cli-process.js';

/**
 * A command whose work never completes (a promise nobody settles, as a driver that throws where nobody
 * listens leaves behind) must not end with exit 0 as if it had succeeded. The stall is real: a preload makes
 * reading an .opt file with fs/promises a promise that never settles.
 */
const STALL = [
  "import fsp from 'node:fs/promises';",
  "import { syncBuiltinESMExports } from 'node:module';",
  'const read = fsp.readFile;',
  "fsp.readFile = (path, ...rest) => (String(path).endsWith('.opt') ? new Promise(() => {}) : read(path, ...rest));",
  'syncBuiltinESMExports();',
].join('\n');

describe('a command that stalls', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('exits 1 with an internal-error message instead of a silent 0', async () => {
    const opt = join(ROOT, '..', 'shared', 'openehr-fixtures', 'templates', 'Test_all_types.opt');
    const child = spawn(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(STALL)}`, CLI, 'template', 'web-template', opt],
      { cwd: ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const r = await finished(child);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: internal error: the command stopped before it finished/);
    expect(r.code).toBe(1);
  });
});
