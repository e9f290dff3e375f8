/**
 * Analytics views (docs/views.md): each exported template becomes typed PostgreSQL views over the stored
 * FLAT JSONB. Pure parts (web template → view model → SQL) in model/naming/view-sql/ddl/evolution/plan;
 * database parts in repository/apply/generate/manage.
 */
export { regenerateViewsIfChanged } from './after-export.js';
export { CAST_FUNCTION_NAMES } from './cast-functions.js';
export type { ViewChange } from './evolution.js';
export {
  type FailedOutcome,
  GENERATOR_VERSION,
  type GenerateDeps,
  type GenerateOptions,
  generateTemplateViews,
  generateViews,
  type TemplateOutcome,
} from './generate.js';
export { type DropResult, dropViews, type ListedView, listViews } from './manage.js';
export { buildTemplateViews } from './model.js';
export type { SqlClient } from './repository.js';
export type { TemplateViews, ViewColumn, ViewModel, WebTemplate } from './types.js';
export { parseWebTemplate } from './web-template.js';
