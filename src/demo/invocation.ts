import { basename, isAbsolute, relative } from 'node:path';

/**
 * How the user started Atlas, for the hints the demo prints: `atlas` when it runs as the installed
 * command, otherwise `node <script>` relative to the working directory (`npm run demo` in a clone).
 */
export function atlasInvocation(argv1: string | undefined = process.argv[1], cwd = process.cwd()): string {
  if (!argv1 || basename(argv1) === 'atlas') return 'atlas';
  const rel = relative(cwd, argv1);
  return `node ${rel.startsWith('..') || isAbsolute(rel) ? argv1 : rel}`;
}

/** A path as the user should type it: relative to the working directory when inside it. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
