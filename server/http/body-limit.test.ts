import { describe, expect, it } from 'vitest';
import { withBodyLimit } from './body-limit';

const url = 'http://localhost/api/upload';

/** A chunked body: no Content-Length, `chunks` pieces of `size` bytes; counts how many were pulled. */
function streamed(chunks: number, size: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
  return { request: new Request(url, { method: 'POST', body, duplex: 'half' } as RequestInit), pulled: () => pulled };
}

describe('withBodyLimit', () => {
  it('passes a body within the limit on, readable as before', async () => {
    const limited = await withBodyLimit(new Request(url, { method: 'POST', body: 'a=1&b=%C3%A9' }), 64);
    expect(limited).toBeInstanceOf(Request);
    expect(await (limited as Request).text()).toBe('a=1&b=%C3%A9');
    const chunked = await withBodyLimit(streamed(4, 16).request, 64);
    expect(await (chunked as Request).text()).toBe('a'.repeat(64));
    const empty = new Request(url);
    expect(await withBodyLimit(empty, 64)).toBe(empty);
  });

  it('refuses a declared length over the limit with 413 before reading any of it', async () => {
    const { request, pulled } = streamed(1000, 1024);
    request.headers.set('content-length', String(1000 * 1024));
    const refused = await withBodyLimit(request, 64 * 1024);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(413);
    expect(await (refused as Response).json()).toEqual({ error: 'Request body too large: at most 64 KB is accepted here.', code: 'PAYLOAD_TOO_LARGE' });
    expect(pulled()).toBeLessThanOrEqual(1);
  });

  it('counts a chunked body and stops reading once it is over the limit, even an endless one', async () => {
    const { request, pulled } = streamed(Number.POSITIVE_INFINITY, 1024);
    const refused = await withBodyLimit(request, 64 * 1024);
    expect((refused as Response).status).toBe(413);
    // 65 chunks get it over 64 KB; the stream's own read-ahead may add one.
    expect(pulled()).toBeLessThanOrEqual(66);
  });

  it('is exact at the limit', async () => {
    expect(await withBodyLimit(new Request(url, { method: 'POST', body: 'x'.repeat(100) }), 100)).toBeInstanceOf(Request);
    expect(((await withBodyLimit(new Request(url, { method: 'POST', body: 'x'.repeat(101) }), 100)) as Response).status).toBe(413);
    expect(((await withBodyLimit(streamed(101, 1).request, 100)) as Response).status).toBe(413);
  });

  it('answers 400, not 500, when the client goes away mid-body', async () => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error('socket hang up'));
        sent = true;
        controller.enqueue(new Uint8Array(10));
      },
    });
    const answered = (await withBodyLimit(new Request(url, { method: 'POST', body, duplex: 'half' } as RequestInit), 64)) as Response;
    expect(answered.status).toBe(400);
  });
});
