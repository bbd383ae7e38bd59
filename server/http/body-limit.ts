import 'server-only';

export const KB = 1024;
export const MB = 1024 * KB;

export function tooLarge(maxBytes: number): Response {
  const limit = maxBytes >= MB ? `${maxBytes / MB} MB` : `${maxBytes / KB} KB`;
  return Response.json({ error: `Request body too large: at most ${limit} is accepted here.`, code: 'PAYLOAD_TOO_LARGE' }, { status: 413 });
}

/**
 * The request with its body read into memory, or a 413 as soon as the body is over `maxBytes`:
 * from `Content-Length` before anything is read, else counted while it streams in (a chunked body
 * declares no length), so an oversized or endless body is never buffered whole.
 */
export async function withBodyLimit(request: Request, maxBytes: number): Promise<Request | Response> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) return tooLarge(maxBytes);
  if (request.body === null) return request;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const read = await reader.read().catch(() => undefined);
    // The client went away mid-body: nothing to answer, but no 500 either.
    if (read === undefined) return Response.json({ error: 'The request body could not be read.', code: 'BAD_REQUEST' }, { status: 400 });
    const { done, value } = read;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Stop here: the rest is neither read nor kept.
      await reader.cancel().catch(() => undefined);
      return tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new Request(request, { body });
}
