/** Finds the Temporal CLI, building it into the cache when needed; `--print` prints only its path. */
import { findTemporalCli } from './dev-server';

const quiet = process.argv.includes('--print');
const cli = findTemporalCli(quiet ? () => {} : console.log);
if (!cli) {
  console.error('No Temporal CLI found and no Go toolchain to build one; set TEMPORAL_CLI or TEMPORAL_ADDRESS.');
  process.exit(1);
}
console.log(quiet ? cli : `Temporal CLI: ${cli}`);
