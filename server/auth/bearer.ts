import 'server-only';

function bearerToken(headers: Pick<Headers, 'get'>): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '');
  return match?.[1];
}

/** An `sb_…` API key: such a request is authenticated by the key alone, its cookies are never read. */
export function apiKeyOf(headers: Pick<Headers, 'get'>): string | undefined {
  const token = bearerToken(headers);
  return token?.startsWith('sb_') ? token : undefined;
}
