/**
 * C0 and C1 control characters except tab: ANSI escapes (ESC), carriage returns that overwrite a line,
 * bells, NUL. A server's text may hold any of them, and printed raw they let it repaint the terminal or forge
 * log lines.
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** Server-provided text made safe to print and to store: control characters removed, newlines made spaces. */
export function printable(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(CONTROL, '');
}
