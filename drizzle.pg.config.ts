import { defineConfig } from 'drizzle-kit';

// The PostgreSQL schema's migrations, generated beside SQLite's by `npm run db:generate`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/pg/schema.ts',
  out: './server/db/pg/migrations',
});
