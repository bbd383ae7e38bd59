/** `npm run bench`: runs every benchmark in turn; each prints its own figures. */
import { runCanvasBench } from './canvas';

const benches: [string, () => Promise<void>][] = [['canvas', runCanvasBench]];

for (const [name, run] of benches) {
  console.log(`\n== ${name} ==`);
  await run();
}
