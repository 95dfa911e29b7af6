/**
 * The store the server under test runs on: the embedded default, or PostgreSQL + Redis when
 * E2E_DATABASE_URL and E2E_REDIS_URL name them (scripts/test.sh runs the main flow again
 * that way). Both or neither: a run that names one store must not quietly use another.
 */
export function backendEnv(): Record<string, string> {
  const database = process.env.E2E_DATABASE_URL;
  const redis = process.env.E2E_REDIS_URL;
  if (!database !== !redis) throw new Error('E2E_DATABASE_URL and E2E_REDIS_URL are set together or not at all');
  if (!database || !redis) return {};
  // Read again by every Playwright worker: the first read fixes the prefix for all.
  process.env.E2E_REDIS_PREFIX ??= `marquee-e2e-${process.pid}:`;
  return {
    MARQUEE_DATABASE_URL: database,
    MARQUEE_REDIS_URL: redis,
    MARQUEE_REDIS_PREFIX: process.env.E2E_REDIS_PREFIX,
  };
}

export const backendName = () => (process.env.E2E_DATABASE_URL ? 'PostgreSQL + Redis' : 'embedded (SQLite)');
