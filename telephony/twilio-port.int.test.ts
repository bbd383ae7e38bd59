import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import { messages } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import { twilioPort } from './twilio-port';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const TOKEN = 'twilio-port-test-token';

/**
 * Twilio's cloud cannot be reached here, so a loopback server answers its Messages API the way
 * Twilio documents it; everything on our side (the twilio package's client, its form encoding,
 * basic auth and error mapping, our port and rows) is the production code.
 */
function fakeTwilioCloud() {
  const received: Record<string, string>[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const auth = Buffer.from((req.headers.authorization ?? '').replace('Basic ', ''), 'base64').toString();
      const path = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`;
      res.setHeader('content-type', 'application/json');
      if (auth !== `${ACCOUNT}:${TOKEN}` || req.url !== path || req.method !== 'POST') {
        res.statusCode = 401;
        return res.end(JSON.stringify({ code: 20003, message: 'Authenticate', status: 401 }));
      }
      const form = Object.fromEntries(new URLSearchParams(body));
      received.push(form);
      if (form.To === '+15005550001') {
        res.statusCode = 400;
        return res.end(JSON.stringify({ code: 21211, message: "The 'To' number +15005550001 is not a valid phone number.", status: 400 }));
      }
      res.statusCode = 201;
      res.end(JSON.stringify({ sid: `SM${String(received.length).padStart(32, '0')}`, status: 'queued', to: form.To, from: form.From, body: form.Body, account_sid: ACCOUNT }));
    });
  });
  return { server, received };
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

  beforeAll(async () => {
    handle = await open();
    await new Promise<void>((resolve) => cloud.server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(cloud.server.address() as AddressInfo).port}`;
    const client = twilio(ACCOUNT, TOKEN, { httpClient: new LoopbackRequestClient(base) });
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
    expect(cloud.received).toEqual([{ To: '+15005550006', From: '+15005550100', Body: 'Sorry for the wait — 抱歉' }]);
    const rows = await handle.db.select().from(messages).where(eq(messages.idempotencyKey, message.idempotencyKey));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'sent', externalSid: first.ok ? first.sid : '', direction: 'outbound', body: message.body });
  });

  it('records Twilio’s refusal and reports it without throwing', async () => {
    const result = await port.sendSms({ to: '+15005550001', from: '+15005550100', body: 'hi', idempotencyKey: 'call:CA2:sms:1' });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain('not a valid phone number');
    const [row] = await handle.db.select().from(messages).where(eq(messages.idempotencyKey, 'call:CA2:sms:1'));
    expect(row.status).toBe('failed');
    expect(row.error).toContain('not a valid phone number');
  });
});
