import { recordAudit } from '@/server/audit/service';
import { authenticatedRoute } from '@/server/auth/route-handler';
import { BodyTooLargeError, CsvFileError, IMPORT_KINDS, IMPORT_MAX_BODY_BYTES, importCsv, type ImportKind, type ImportProgress, limitBytes } from '@/server/customers/import';
import { tooLarge } from '@/server/http/body-limit';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];

/**
 * `POST /api/customers/import?kind=customers|orders&dryRun=1` with the CSV file as the body
 * (`Content-Type: text/csv`, at most 200 MB, read as it streams). A bad header, a bad query or the
 * wrong content type answers 4xx JSON `{ error }` before any row is read; otherwise 200 with NDJSON
 * lines as the import goes: `progress` after every batch, `error` for each bad row (the first
 * 1,000), then `done` with the summary, or `fatal` when the import had to stop (the batches before
 * it are written). A real import is recorded in the audit log with its counts.
 */
export const POST = authenticatedRoute('customers.write', async (request, { viewer, db }) => {
  const query = new URL(request.url).searchParams;
  const kind = query.get('kind') as ImportKind;
  if (!IMPORT_KINDS.includes(kind)) return Response.json({ error: `Say what the file holds: ?kind=${IMPORT_KINDS.join(' or ?kind=')}.` }, { status: 400 });
  const dryRun = ['1', 'true'].includes(query.get('dryRun') ?? '');
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!CSV_TYPES.includes(type)) return Response.json({ error: `Send the file as CSV (Content-Type: text/csv), not ${type || 'without a content type'}.` }, { status: 415 });
  if (Number(request.headers.get('content-length') ?? Number.NaN) > IMPORT_MAX_BODY_BYTES) return tooLarge(IMPORT_MAX_BODY_BYTES);
  if (!request.body) return Response.json({ error: 'The request has no body: send the CSV file as the body.' }, { status: 400 });

  const encoder = new TextEncoder();
  let output: ReadableStreamDefaultController<Uint8Array> | undefined;
  let reading = true;
  const stream = new ReadableStream<Uint8Array>({
    start: (controller) => {
      output = controller;
    },
    cancel: () => {
      reading = false;
    },
  });
  const send = (line: Record<string, unknown>) => {
    if (reading) output?.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
  };
  let written: ImportProgress = { rows: 0, accepted: 0, rejected: 0, bytes: 0 };
  let headerRead: () => void = () => undefined;
  const started = new Promise<void>((resolve) => {
    headerRead = resolve;
  });
  const run = importCsv(db, {
    kind,
    dryRun,
    input: limitBytes(request.body, IMPORT_MAX_BODY_BYTES),
    onStart: () => headerRead(),
    onProgress: (progress) => {
      written = progress;
      send({ type: 'progress', ...progress });
    },
    onError: (error) => send({ type: 'error', ...error }),
  });
  const early = await Promise.race([started.then(() => undefined), run.then(() => undefined, (error: unknown) => error ?? new Error('import failed'))]);
  if (early instanceof CsvFileError) return Response.json({ error: early.message }, { status: 400 });
  if (early instanceof BodyTooLargeError) return tooLarge(IMPORT_MAX_BODY_BYTES);
  if (early !== undefined) throw early;

  const audit = (details: Record<string, unknown>) =>
    dryRun ? undefined : recordAudit(db, { action: 'customer.import', actor: viewer, target: { type: 'import', id: kind }, details: { kind, ...details } });
  void run
    .then(
      async ({ errors: _kept, ...summary }) => {
        send({ type: 'done', ...summary });
        const { rows, accepted, rejected, bytes, customersCreated, customersUpdated, ordersCreated, ordersUpdated } = summary;
        await audit({ rows, accepted, rejected, bytes, ...(kind === 'customers' ? { customersCreated, customersUpdated } : { ordersCreated, ordersUpdated }) });
      },
      async (error: unknown) => {
        const known = error instanceof CsvFileError || error instanceof BodyTooLargeError;
        if (!known) console.error('[import] stopped:', error);
        const reason = known ? error.message : 'A server error stopped the import.';
        send({ type: 'fatal', error: `${reason} The first ${written.rows} rows were ${dryRun ? 'checked' : 'imported (their accepted rows are written)'}; the rest were not.`, ...(error instanceof BodyTooLargeError && { code: 'PAYLOAD_TOO_LARGE' }), ...written });
        await audit({ ...written, failed: reason });
      },
    )
    .catch((error: unknown) => console.error('[import] audit failed:', error))
    .finally(() => {
      if (reading) output?.close();
    });
  return new Response(stream, {
    // no-transform: a compressing proxy (or next start) would hold the progress lines back.
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store, no-transform', 'x-accel-buffering': 'no' },
  });
});
