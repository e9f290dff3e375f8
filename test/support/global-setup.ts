import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type RunningServer, startEmbeddedPostgres } from './embedded-server.js';
import { migrateTemplateDatabase } from './template-db.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection URL of a role allowed to CREATE DATABASE, pointing at its maintenance database. */
    pgAdminUrl: string;
    /** Name of a database migrated to the latest schema; test files clone it. */
    pgTemplateDb: string;
  }
}

let server: RunningServer | undefined;
let adminUrl = '';
let templateDb = '';

export async function setup(project: TestProject): Promise<void> {
  const given = process.env.ATLAS_TEST_DATABASE_URL;
  if (given) {
    adminUrl = given;
  } else {
    server = await startEmbeddedPostgres();
    adminUrl = server.adminUrl;
  }
  templateDb = `atlas_tpl_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${templateDb}`);
  } finally {
    await admin.end();
  }
  await migrateTemplateDatabase(withDatabase(adminUrl, templateDb));
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplateDb', templateDb);
}

export async function teardown(): Promise<void> {
  if (adminUrl && templateDb) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${templateDb} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  await server?.stop();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
