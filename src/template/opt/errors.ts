import { AtlasError, ExitCode } from '../../errors.js';

/**
 * The text given as an operational template is not one: not well-formed XML, not an ADL 1.4 `<template>`,
 * or a constraint lacks what the OPT schema requires. Carries the line and the element so that the message
 * points at the spot in the file. Exit 2 (bad input given by the user).
 */
export class InvalidOptError extends AtlasError {
  /** 1-based line of the offending element (or of the XML error), when known. */
  readonly line: number | undefined;
  /** Local name of the offending element (e.g. `children`, `rm_type_name`), when known. */
  readonly element: string | undefined;

  constructor(
    problem: string,
    where: { line?: number; element?: string } = {},
    options?: { cause?: unknown },
  ) {
    const at = [
      where.line !== undefined ? `line ${where.line}` : undefined,
      where.element !== undefined ? `element <${where.element}>` : undefined,
    ]
      .filter((s) => s !== undefined)
      .join(', ');
    super(`invalid operational template${at ? ` (${at})` : ''}: ${problem}`, ExitCode.usage, options);
    this.line = where.line;
    this.element = where.element;
  }
}
