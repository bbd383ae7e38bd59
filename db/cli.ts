/** `npm run db:migrate` and `npm run db:seed`: against the configured database (see db/client). */
import { dbHandle } from './client';
import { seed, seedIfEmpty } from './seed';

async function main(command: string | undefined) {
  const handle = await dbHandle();
  try {
    if (command === 'migrate') {
      console.log(`migrations applied to ${handle.kind} at ${handle.location}`);
    } else if (command === 'seed') {
      const seeded = process.argv.includes('--force') ? (await seed(handle.db), true) : await seedIfEmpty(handle.db);
      console.log(seeded ? `demo data loaded into ${handle.location}` : 'the database already has data; nothing loaded (use --force to add the demo data anyway)');
    } else {
      console.error('usage: tsx db/cli.ts migrate|seed [--force]');
      process.exitCode = 2;
    }
  } finally {
    await handle.close();
  }
}

main(process.argv[2]).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
