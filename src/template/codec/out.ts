/** Where marshalling writes FLAT pairs; `real` marks RM reals so they print as `22.0` (see flat-text.ts). */
export interface FlatOut {
  put(key: string, value: unknown): void;
  real(key: string, value: unknown): void;
}

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.filter((x) => obj(x)) as Obj[]) : [];
}

export const codePhrase = (terminology: string, code: string, preferred?: string): Obj => ({
  _type: 'CODE_PHRASE',
  terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology },
  code_string: code,
  ...(preferred !== undefined ? { preferred_term: preferred } : {}),
});

export const dvText = (value: string): Obj => ({ _type: 'DV_TEXT', value });

export const codedText = (terminology: string, code: string, value: string): Obj => ({
  _type: 'DV_CODED_TEXT',
  value,
  defining_code: codePhrase(terminology, code),
});
