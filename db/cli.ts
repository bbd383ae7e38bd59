/** `npm run db:migrate`: applies the migrations to the configured database (see db/client). */
import { dbHandle } from './client';

async function main() {
  const handle = await dbHandle();
  try {
    console.log(`migrations applied to ${handle.kind} at ${handle.location}`);
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
