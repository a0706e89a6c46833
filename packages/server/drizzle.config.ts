import { defineConfig } from 'drizzle-kit'

// Only the tables drizzle-kit can express. The month-partitioned training tables are written by
// hand in a custom migration (see src/db/migrations/*_training_partitions.sql).
export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './src/db/schema/registry.ts',
    './src/db/schema/access.ts',
    './src/db/schema/training.ts',
    './src/db/schema/supervision.ts',
  ],
  out: './src/db/migrations',
})
