import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import { messages } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import { outboundRow } from './port';
import { holdFromWaitUrl } from './replies';
import { connectTwiml, holdTwiml, messageStatusUrl, recordMessageStatus, twilioPort } from './twilio-port';
import { firstRow } from '@/db/rows';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const TOKEN = 'twilio-port-test-token';

/**
 * Twilio's cloud cannot be reached here, so a loopback server answers its Messages API the way
 * Twilio documents it; everything on our side (the twilio package's client, its form encoding,
 * basic auth and error mapping, our port and rows) is the production code.
 */
function fakeTwilioCloud() {
  const received: Record<string, string>[] = [];
  /** Posts to Calls/<sid>.json (call updates), with the sid. */
  const callUpdates: { sid: string; form: Record<string, string> }[] = [];
  const held: { sid: string; to: string; from: string; body: string; date_created: string; status: string; account_sid: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const auth = Buffer.from((req.headers.authorization ?? '').replace('Basic ', ''), 'base64').toString();
      const url = new URL(req.url ?? '/', 'http://cloud');
      res.setHeader('content-type', 'application/json');
      const call = new RegExp(`^/2010-04-01/Accounts/${ACCOUNT}/Calls/(CA[0-9a-f]{32})\\.json$`).exec(url.pathname);
      if (auth === `${ACCOUNT}:${TOKEN}` && call && req.method === 'POST') {
        const sid = call[1] ?? '';
        const form = Object.fromEntries(new URLSearchParams(body));
        callUpdates.push({ sid, form });
        if (sid.endsWith('0'.repeat(8))) {
          res.statusCode = 404;
          return res.end(JSON.stringify({ code: 20404, message: `The requested resource /Calls/${sid}.json was not found`, status: 404 }));
        }
        return res.end(JSON.stringify({ sid, account_sid: ACCOUNT, status: form.Status ?? 'in-progress', to: '+15005550100', from: '+15005550006' }));
      }
      if (auth !== `${ACCOUNT}:${TOKEN}` || url.pathname !== `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`) {
        res.statusCode = 401;
        return res.end(JSON.stringify({ code: 20003, message: 'Authenticate', status: 401 }));
      }
      if (req.method === 'GET') {
        // Newest first, filtered by To and From, as Twilio lists them.
        const list = held.filter((m) => m.to === url.searchParams.get('To') && m.from === url.searchParams.get('From')).reverse();
        const page = { page: 0, page_size: 20, uri: url.pathname, first_page_uri: url.pathname, next_page_uri: null, previous_page_uri: null, start: 0, end: list.length };
        return res.end(JSON.stringify({ ...page, messages: list }));
      }
      const form = Object.fromEntries(new URLSearchParams(body));
      received.push(form);
      if (form.To === '+15005550001') {
        res.statusCode = 400;
        return res.end(JSON.stringify({ code: 21211, message: "The 'To' number +15005550001 is not a valid phone number.", status: 400 }));
      }
      const message = { sid: `SM${String(received.length).padStart(32, '0')}`, status: 'queued', to: form.To ?? '', from: form.From ?? '', body: form.Body ?? '', account_sid: ACCOUNT, date_created: new Date().toUTCString() };
      held.push(message);
      res.statusCode = 201;
      res.end(JSON.stringify(message));
    });
  });
  return { server, received, callUpdates };
}

class LoopbackRequestClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super();
  }
  request<T>(opts: RequestClient.RequestOptions<T>) {
    return super.request<T>({ ...opts, uri: opts.uri.replace('https://api.twilio.com', this.base) });
  }
}

describe.each(testDatabases())('Twilio port on $name', ({ open }) => {
  let handle: DbHandle;
  const cloud = fakeTwilioCloud();
  let port: ReturnType<typeof twilioPort>;
  let client: ReturnType<typeof twilio>;

  beforeAll(async () => {
    handle = await open();
    await new Promise<void>((resolve) => cloud.server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(cloud.server.address() as AddressInfo).port}`;
    client = twilio(ACCOUNT, TOKEN, { httpClient: new LoopbackRequestClient(base) });
    port = twilioPort({ client, db: async () => handle.db });
  });

  afterAll(async () => {
    cloud.server.close();
    await handle?.close();
  });

  it('sends through the REST API once per idempotency key and stores the sid', async () => {
    const message = { to: '+15005550006', from: '+15005550100', body: 'Sorry for the wait — 抱歉', idempotencyKey: 'call:CA1:sms:1' };
    const first = await port.sendSms(message);
    const again = await port.sendSms(message);
    expect(first).toEqual({ ok: true, sid: `SM${'1'.padStart(32, '0')}` });
    expect(again).toEqual(first);
    expect(cloud.received).toEqual([{ To: '+15005550006', From: '+15005550100', Body: 'Sorry for the wait — 抱歉', StatusCallback: messageStatusUrl('call:CA1:sms:1') }]);
    const rows = await handle.db.select().from(messages).where(eq(messages.idempotencyKey, message.idempotencyKey));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'sent', externalSid: first.ok ? first.sid : '', direction: 'outbound', body: message.body });
  });

  it('does not send again after a worker died mid-request: it finds the message Twilio took', async () => {
    const message = { to: '+15005550007', from: '+15005550100', body: 'Your ticket is 42', idempotencyKey: 'call:CA3:sms:1' };
    // What the dead worker left behind: the row marked sending, and Twilio holding the message.
    await handle.db.insert(messages).values({ ...outboundRow(message), status: 'sending' });
    const taken = await client.messages.create({ to: message.to, from: message.from, body: message.body });
    const posts = cloud.received.length;
    expect(await port.sendSms(message)).toEqual({ ok: true, sid: taken.sid });
    expect(cloud.received).toHaveLength(posts);
    const [row] = await handle.db.select().from(messages).where(eq(messages.idempotencyKey, message.idempotencyKey));
    expect(row).toMatchObject({ status: 'sent', externalSid: taken.sid });
  });

  it('sends when an attempt stuck at sending never reached Twilio', async () => {
    const message = { to: '+15005550008', from: '+15005550100', body: 'Never arrived', idempotencyKey: 'call:CA4:sms:1' };
    await handle.db.insert(messages).values({ ...outboundRow(message), status: 'sending' });
    const posts = cloud.received.length;
    const result = await port.sendSms(message);
    expect(result.ok).toBe(true);
    expect(cloud.received).toHaveLength(posts + 1);
  });

  it('takes the sid from the status callback, moves the status forward only, and a retry then sends nothing', async () => {
    const message = { to: '+15005550009', from: '+15005550100', body: 'Callback first', idempotencyKey: 'call:CA5:sms:1' };
    await handle.db.insert(messages).values({ ...outboundRow(message), status: 'sending' });
    const sid = `SM${'c'.repeat(32)}`;
    expect(await recordMessageStatus(handle.db, { key: message.idempotencyKey, sid, status: 'sent' })).toBe(true);
    const posts = cloud.received.length;
    expect(await port.sendSms(message)).toEqual({ ok: true, sid });
    expect(cloud.received).toHaveLength(posts);
    await recordMessageStatus(handle.db, { key: message.idempotencyKey, sid, status: 'delivered' });
    await recordMessageStatus(handle.db, { key: null, sid, status: 'sent' });
    const [row] = await handle.db.select().from(messages).where(eq(messages.idempotencyKey, message.idempotencyKey));
    expect(row).toMatchObject({ status: 'delivered', externalSid: sid });
    await recordMessageStatus(handle.db, { key: null, sid, status: 'undelivered', errorCode: '30003' });
    expect((await handle.db.select().from(messages).where(eq(messages.externalSid, sid)))[0]?.status).toBe('delivered');
    expect(await recordMessageStatus(handle.db, { key: 'nobody', sid: `SM${'d'.repeat(32)}`, status: 'sent' })).toBe(false);
  });

  it('records Twilio’s refusal and reports it without throwing', async () => {
    const result = await port.sendSms({ to: '+15005550001', from: '+15005550100', body: 'hi', idempotencyKey: 'call:CA2:sms:1' });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain('not a valid phone number');
    const row = firstRow(await handle.db.select().from(messages).where(eq(messages.idempotencyKey, 'call:CA2:sms:1')), 'messages');
    expect(row.status).toBe('failed');
    expect(row.error).toContain('not a valid phone number');
  });

  it('connects a held call to the agent by redirecting it to a <Dial> of their phone, and hangs it up', async () => {
    const callSid = `CA${'a'.repeat(32)}`;
    const agent = { id: 'a1', name: 'Ann Agent', phone: '+15005550111' };
    expect(await port.connectCall(callSid, agent)).toEqual({ ok: true });
    expect(await port.hangupCall(callSid)).toEqual({ ok: true });
    expect(cloud.callUpdates).toEqual([
      { sid: callSid, form: { Twiml: '<?xml version="1.0" encoding="UTF-8"?><Response><Dial answerOnBridge="true">+15005550111</Dial></Response>' } },
      { sid: callSid, form: { Status: 'completed' } },
    ]);
    expect(connectTwiml(agent)).toBe(cloud.callUpdates[0]?.form.Twiml);
  });

  it('puts a transferred caller back on hold: a word, the queue with its wait URL (signed by Twilio like any), then the goodbye', async () => {
    const callSid = `CA${'d'.repeat(32)}`;
    const until = Date.UTC(2026, 11, 2, 12, 0, 0);
    expect(await port.holdCall(callSid, { queue: 'support', language: 'zh-CN', until })).toEqual({ ok: true });
    const twiml = cloud.callUpdates.at(-1)?.form.Twiml ?? '';
    expect(cloud.callUpdates.at(-1)?.sid).toBe(callSid);
    expect(twiml).toBe(holdTwiml({ queue: 'support', language: 'zh-CN', until }));
    expect(twiml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Say language="zh-CN">请稍候，正在为您转接。<\/Say><Enqueue waitUrl="[^"]+" waitUrlMethod="POST">support<\/Enqueue><Say language="zh-CN">抱歉，目前没有空闲的坐席，请稍后再拨。再见。<\/Say><Hangup\/><\/Response>$/);
    const waitUrl = new URL((/waitUrl="([^"]+)"/.exec(twiml)?.[1] ?? '').replaceAll('&amp;', '&'));
    expect(waitUrl.pathname).toBe('/api/twilio/wait');
    expect(holdFromWaitUrl(waitUrl.searchParams)).toEqual({ until, message: { verb: 'say', text: '请稍候，下一位坐席将很快为您服务。', language: 'zh-CN' } });
  });

  it('reports a call Twilio does not know, and an agent without a phone, without throwing', async () => {
    const gone = `CA${'b'.repeat(24)}${'0'.repeat(8)}`;
    const result = await port.hangupCall(gone);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain('was not found');
    const posts = cloud.callUpdates.length;
    expect(await port.connectCall(`CA${'c'.repeat(32)}`, { id: 'a2', name: 'No Phone', phone: '' })).toEqual({ ok: false, error: 'No Phone has no phone number to dial' });
    expect(cloud.callUpdates).toHaveLength(posts);
  });
});
