/** What the demo exports: the simulator's demo templates into the demo's embedded database. */
export interface DemoTarget {
  baseUrl: string;
  dataDir: string;
  templateIds: string[];
}

/**
 * The demo's whole configuration, as ATLAS_* variables for the normal loader (no atlas.toml is involved):
 * the embedded database in the demo directory, the simulator (EHRbase flavour, no authentication), the demo
 * templates stored with `preserve`, an incremental run (the first one exports everything), and verification
 * of source against target after the export, so the demo shows the guarantee it rests on.
 */
export function demoVariables(target: DemoTarget): Record<string, string> {
  return {
    ATLAS_DATABASE_TARGET: 'embedded',
    ATLAS_EMBEDDED_PATH: target.dataDir,
    ATLAS_OPENEHR_BASE_URL: target.baseUrl,
    ATLAS_OPENEHR_VENDOR: 'ehrbase',
    ATLAS_OPENEHR_AUTH_TYPE: 'none',
    ATLAS_OPENEHR_QUERY_TEMPLATE_IDS: target.templateIds.join(','),
    ATLAS_EXPORT_MODE: 'incremental',
    ATLAS_EXPORT_COMPOSITION_FORMAT: 'preserve',
    ATLAS_VERIFICATION_ENABLE_VERIFICATION: 'true',
  };
}
