import postgres from 'postgres';

/**
 * A throwaway database on the server of `serverUrl`, for tests that must not share rows. Reads no
 * configuration itself, so test setup can call it before `env` is first imported.
 */
export async function createScratchDatabase(serverUrl: string, prefix = 'sb_test') {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
