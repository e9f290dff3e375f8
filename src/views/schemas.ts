import type { AppContext } from '../context.js';
import type { ViewSqlTarget } from './view-sql.js';

/** Schema of the embedded database's tables (the store's own constant; the embedded database is Atlas's). */
const EMBEDDED_DATA_SCHEMA = 'public';

/** Where the views go (`[views] schema`) and where `compositions` lives (`[postgresql] schema`). */
export function viewsTarget(ctx: AppContext, templateId: string): ViewSqlTarget {
  const dataSchema =
    ctx.config.databaseTarget === 'postgresql'
      ? (ctx.config.postgresql?.schema ?? 'public')
      : EMBEDDED_DATA_SCHEMA;
  return { viewsSchema: ctx.config.views.schema, dataSchema, templateId };
}
