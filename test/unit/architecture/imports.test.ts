import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PARTS, type Part } from './parts.js';

/**
 * The module map of docs/architecture.md, enforced: every import between files of src/ and sim/ must follow
 * an arrow of ./parts.ts. Imports are read with TypeScript's own scanner (static and type-only imports,
 * `export … from`, dynamic `import()`), so comments and strings never count.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SCANNED = ['src', 'sim'];

function sourceFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** The part owning a file: the longest matching path wins, so a sub-directory can be a part of its own. */
function partOf(file: string): Part | undefined {
  let best: { part: Part; length: number } | undefined;
  for (const part of PARTS) {
    for (const p of part.paths) {
      const hit = p.endsWith('/') ? file.startsWith(p) : file === p;
      if (hit && (!best || p.length > best.length)) best = { part, length: p.length };
    }
  }
  return best?.part;
}

interface Edge {
  from: string;
  to: string;
}

/** Relative imports of one file, resolved to repository paths (`./x.js` → the `x.ts` beside it). */
function importsOf(file: string): Edge[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('./') || spec.startsWith('../'))
    .map((spec) => {
      const target = relative(ROOT, resolve(ROOT, dirname(file), spec))
        .split('\\')
        .join('/');
      return { from: file, to: target.replace(/\.js$/, '.ts') };
    });
}

const files = SCANNED.flatMap(sourceFiles);
const edges = files.flatMap(importsOf);
const byName = new Map(PARTS.map((p) => [p.name, p]));

/** Why an edge breaks the map, or undefined when it follows an arrow. */
function violation(edge: Edge): string | undefined {
  const from = partOf(edge.from);
  const to = partOf(edge.to);
  if (!from) return `${edge.from} belongs to no part (declare it in test/unit/architecture/parts.ts)`;
  if (!to) return `${edge.from} imports ${edge.to}, which belongs to no part`;
  if (from === to) return undefined;
  if (!from.mayImport.includes(to.name)) {
    return `${edge.from} imports ${edge.to}: ${from.name} may not import ${to.name} (allowed: ${from.mayImport.join(', ') || 'nothing'})`;
  }
  if (to.face && !to.face.includes(edge.to)) {
    return `${edge.from} imports ${edge.to}: outside ${to.name}, import it through ${to.face.join(' or ')}`;
  }
  return undefined;
}

describe('architecture: imports follow the module map', () => {
  it('scans the real source tree', () => {
    // Guards the scan itself: a broken walk or scanner would make every rule below pass vacuously.
    expect(files).toContain('src/export/engine.ts');
    expect(files).toContain('sim/simulator.ts');
    expect(edges).toContainEqual({ from: 'src/export/engine.ts', to: 'src/export/template-export.ts' });
  });

  it('every rule names declared parts and every path belongs to one part only', () => {
    for (const part of PARTS) {
      for (const name of part.mayImport) expect(byName.has(name), `${part.name} → ${name}`).toBe(true);
      expect(part.mayImport, `${part.name} lists itself`).not.toContain(part.name);
      for (const f of part.face ?? []) expect(partOf(f), `face ${f} of ${part.name}`).toBe(part);
    }
    const paths = PARTS.flatMap((p) => p.paths);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('every file of src/ and sim/ belongs to a part', () => {
    expect(files.filter((f) => !partOf(f))).toEqual([]);
  });

  it('every import follows an allowed arrow (and a part with a public face is entered through it)', () => {
    const broken = edges.flatMap((e) => violation(e) ?? []);
    expect(broken).toEqual([]);
  });

  it('the rules catch what they are meant to catch', () => {
    expect(violation({ from: 'src/export/engine.ts', to: 'src/views/index.ts' })).toMatch(
      /engine may not import views/,
    );
    expect(violation({ from: 'src/cli/commands/migrate.ts', to: 'src/store/postgres/sql-store.ts' })).toMatch(
      /through src\/store\/index\.ts/,
    );
    expect(violation({ from: 'src/config/resolve.ts', to: 'src/privacy/keyed-hash.ts' })).toMatch(
      /config may not import privacy/,
    );
    expect(violation({ from: 'src/demo/run.ts', to: 'src/cli/cli-context.ts' })).toMatch(
      /demo may not import cli/,
    );
    expect(violation({ from: 'src/store/cosmos/store.ts', to: 'src/store/types.ts' })).toBeUndefined();
    expect(violation({ from: 'src/store/cosmos/store.ts', to: 'src/store/postgres/pool.ts' })).toMatch(
      /through/,
    );
    expect(violation({ from: 'sim/simulator.ts', to: 'src/openehr/index.ts' })).toMatch(
      /sim may not import source/,
    );
  });

  it('docs/architecture.md maps every part', () => {
    const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const missing = PARTS.flatMap((p) => p.paths).filter((p) => !doc.includes(`\`${p}\``));
    expect(missing).toEqual([]);
  });
});
