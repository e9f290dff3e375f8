#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { looksLikePaths } from './data/template-files.js';
import { startSimulator } from './simulator.js';
import type { AuthMode, Faults, Flavour, SimulatorOptions } from './types.js';

function int(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(`${name} must be a non-negative integer`);
    return n;
  };
}

function fraction(v: string): number {
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('must be between 0 and 1');
  return n;
}

function faults(v: string): Faults {
  try {
    const parsed = JSON.parse(v) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Faults;
  } catch (e) {
    throw new InvalidArgumentError(`--faults must be a JSON object: ${(e as Error).message}`);
  }
}

const program = new Command('atlas-sim')
  .description('EHRbase-compatible openEHR simulator for Atlas tests, demo and benchmarks (loopback only)')
  .option('--port <n>', 'TCP port on 127.0.0.1 (0 = random)', int('port'), 0)
  .option('--seed <n>', 'seed of the deterministic population', int('seed'), 42)
  .option('--ehrs <n>', 'number of EHRs', int('ehrs'), 100)
  .option(
    '--compositions <n>',
    'number of generated compositions (default: ehrs × compositions-per-ehr)',
    int('compositions'),
  )
  .option('--compositions-per-ehr <n>', 'average compositions per EHR', Number, 5)
  .option('--data <dir>', 'data directory (manifest.json) or manifest file; default: shipped demo data')
  .option(
    '--templates <list>',
    'comma-separated .opt files or folders of them (populations generated from their web templates), or a subset of the manifest template ids',
  )
  .option(
    '--optional-rate <r>',
    'share of optional template nodes present in generated compositions',
    fraction,
  )
  .option(
    '--max-repeat <n>',
    'most instances of a repeated node in generated compositions',
    int('max-repeat'),
  )
  .option(
    '--allow-template-overwrite',
    're-uploading a known template id replaces it (ehrbase.template.allow-overwrite)',
  )
  .option('--max-template-bytes <n>', 'largest OPT upload accepted (bigger → 413)', int('max-template-bytes'))
  .addOption(new Option('--flavour <f>', 'server flavour').choices(['ehrbase', 'better']).default('ehrbase'))
  .addOption(
    new Option('--auth <mode>', 'API authentication').choices(['none', 'basic', 'bearer']).default('none'),
  )
  .option('--faults <json>', 'initial faults as JSON (see docs/simulator.md)', faults)
  .option('--max-fetch <n>', 'reject AQL fetch above n with 422', int('max-fetch'))
  .option(
    '--reject-version-queries',
    'answer AQL with CONTAINS VERSION 400 Not implemented (no VERSION support)',
  )
  .option('--flat-missing-500', 'FLAT GET of a missing composition → 500, as EHRbase 2.6 (#1382)')
  .option('--token-ttl <s>', 'access-token lifetime in seconds', int('token-ttl'), 300)
  .option('--update-ratio <r>', 'fraction of compositions with version > 1', fraction)
  .option('--delete-ratio <r>', 'fraction of deleted compositions', fraction)
  .option('--backdate-ratio <r>', 'fraction with back-dated clinical start time', fraction)
  .option('--clock <iso>', 'sim clock at start (commit times end here)')
  .option('--frozen-clock', 'keep the sim clock still until set through /_sim/clock')
  .option('--no-originals', 'do not serve the prototype files themselves');

/** `--templates`: OPT files / folders (generated populations) or, as before, manifest template ids. */
function templateOptions(value: unknown): Pick<SimulatorOptions, 'templates' | 'templateFiles'> {
  if (value === undefined) return {};
  const list = String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return looksLikePaths(list) ? { templateFiles: list } : { templates: list };
}

async function main(): Promise<void> {
  program.parse();
  const o = program.opts();
  const options: SimulatorOptions = {
    port: o.port,
    seed: o.seed,
    ehrs: o.ehrs,
    compositionsPerEhr: o.compositionsPerEhr,
    flavour: o.flavour as Flavour,
    auth: o.auth as AuthMode,
    tokenTtlSeconds: o.tokenTtl,
    includeOriginals: o.originals !== false,
    clockTicking: !o.frozenClock,
    ...(o.compositions !== undefined ? { compositions: o.compositions } : {}),
    ...(o.data ? { dataDir: o.data } : {}),
    ...templateOptions(o.templates),
    ...(o.allowTemplateOverwrite ? { allowTemplateOverwrite: true } : {}),
    ...(o.maxTemplateBytes !== undefined ? { maxTemplateBytes: o.maxTemplateBytes } : {}),
    ...(o.optionalRate !== undefined || o.maxRepeat !== undefined
      ? {
          generation: {
            ...(o.optionalRate !== undefined ? { optionalRate: o.optionalRate } : {}),
            ...(o.maxRepeat !== undefined ? { maxRepeat: o.maxRepeat } : {}),
          },
        }
      : {}),
    ...(o.faults ? { faults: o.faults } : {}),
    ...(o.maxFetch !== undefined ? { maxFetch: o.maxFetch } : {}),
    ...(o.rejectVersionQueries ? { rejectVersionQueries: true } : {}),
    ...(o.flatMissing500 ? { flatMissing500: true } : {}),
    ...(o.updateRatio !== undefined ? { updateRatio: o.updateRatio } : {}),
    ...(o.deleteRatio !== undefined ? { deleteRatio: o.deleteRatio } : {}),
    ...(o.backdateRatio !== undefined ? { backdateRatio: o.backdateRatio } : {}),
    ...(o.clock ? { clockStart: o.clock } : {}),
  };
  const sim = await startSimulator(options);
  // Handlers first: whoever reads the first line may signal us right away.
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Line 1: the base URL (tests and the benchmark read exactly this). Line 2: details as JSON.
  process.stdout.write(`${sim.baseUrl}\n`);
  process.stdout.write(
    `${JSON.stringify({
      baseUrl: sim.baseUrl,
      statusUrl: sim.statusUrl,
      tokenUrl: sim.tokenUrl,
      controlUrl: sim.controlUrl,
      flavour: sim.flavour,
      auth: sim.auth,
      credentials: sim.auth === 'none' ? undefined : sim.credentials,
      totals: sim.control.totals(),
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`atlas-sim: ${(err as Error).message}\n`);
  process.exit(1);
});
