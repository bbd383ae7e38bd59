/** `npm run db:seed [-- --force]`: loads the demo data (server/demo/seed.ts) into the configured database. */
import { dbHandle } from '@/db/client';
import { seed, seedIfEmpty } from '@/server/demo/seed';

async function main() {
  const handle = await dbHandle();
  try {
    const seeded = process.argv.includes('--force') ? (await seed(handle.db), true) : await seedIfEmpty(handle.db);
    console.log(seeded ? `demo data loaded into ${handle.location}` : 'the database already has data; nothing loaded (use --force to add the demo data anyway)');
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
