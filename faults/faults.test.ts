import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attribute, ensureSmsFlow, Player, randomCaller, sid, sleep, UPSET_REASON } from '@/bench/twilio-player';
import { createScratchDatabase } from '@/db/scratch';
import { databaseProxy, type Stack, startStack } from './stack';

/**
 * The fault suite (`npm run test:faults`, after `npm run build`): the real stack under load while
 * parts of it fail. Each test prints what it did and what it counted.
 */

/** Keeps `lanes` callers calling (half of them upset billing callers, who get an SMS) until `stop()`. */
function load(player: Player, lanes: number) {
  let running = true;
  const callSids: string[] = [];
  const done = Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      await sleep(lane * 150);
      while (running) callSids.push(await player.call({ billing: lane % 2 === 0 }).catch(() => 'failed'));
    }),
  );
  return {
    callSids,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

function summary(player: Player) {
  const flow = player.samples.filter((s) => s.kind !== 'baseline');
  return {
    webhooks: flow.length,
    serverErrors: flow.filter((s) => s.status >= 500 || s.status === 0).length,
    apologies: flow.filter((s) => s.apology).length,
    slowest: Math.round(Math.max(0, ...flow.map((s) => s.ms))),
  };
}

/** What the calls left in the database: runs still open, SMS and handoffs per run, steps recorded twice. */
async function audit(stack: Stack, callSids: string[]) {
  const ids = callSids.filter((id) => id !== 'failed').map((id) => `call:${id}`);
  const rows = await stack.sql<{ workflow_id: string; status: string; sms: number; handoffs: number; steps: number; distinct_steps: number }[]>`
    select i.workflow_id, i.status,
      (select count(*)::int from messages m where m.interaction_id = i.id and m.direction = 'outbound') as sms,
      (select count(*)::int from handoffs h where h.interaction_id = i.id) as handoffs,
      (select count(*)::int from interaction_steps s where s.interaction_id = i.id) as steps,
      (select count(distinct (s.node_id, s.started_at))::int from interaction_steps s where s.interaction_id = i.id) as distinct_steps
    from interactions i where i.workflow_id = any(${ids})`;
  return {
    calls: ids.length,
    recorded: rows.length,
    stillRunning: rows.filter((r) => r.status === 'running').length,
    smsTwice: rows.filter((r) => r.sms > 1).length,
    sms: rows.reduce((sum, r) => sum + r.sms, 0),
    handoffsTwice: rows.filter((r) => r.handoffs > 2).length,
    stepsTwice: rows.filter((r) => r.steps !== r.distinct_steps).length,
  };
}

async function settled(stack: Stack, callSids: string[], timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await audit(stack, callSids);
    if (result.stillRunning === 0 || Date.now() > deadline) return result;
    await sleep(1000);
  }
}

describe('an embedded stack under load', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await ensureSmsFlow(stack.baseUrl);
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('a SIGKILLed worker is replaced; every call in flight finishes, no step or SMS runs twice', async () => {
    const player = new Player(stack.target());
    const traffic = load(player, 6);
    await sleep(8000);
    const from = stack.log.length;
    const killed = stack.kill('worker', 'SIGKILL');
    expect(killed.length).toBe(1);
    await stack.waitForLog(/worker is back/, 60_000, from);
    expect((await fetch(`${stack.baseUrl}/api/health`)).status).toBe(200);
    await sleep(8000);
    await traffic.stop();
    const http = summary(player);
    const rows = await settled(stack, traffic.callSids);
    console.log('[faults] worker SIGKILL under load:', { killedPid: killed[0], ...http, ...rows });
    expect(http.serverErrors).toBe(0);
    expect(rows.recorded).toBe(rows.calls);
    expect(rows.stillRunning).toBe(0);
    expect(rows.smsTwice).toBe(0);
    expect(rows.stepsTwice).toBe(0);
    expect(rows.handoffsTwice).toBe(0);
    expect(rows.sms).toBeGreaterThan(0);
  }, 240_000);

  it('a restarted Temporal server loses no running flow', async () => {
    const player = new Player(stack.target());
    const traffic = load(player, 6);
    await sleep(6000);
    const from = stack.log.length;
    expect(stack.kill('temporal', 'SIGKILL').length).toBe(1);
    await stack.waitForLog(/temporal is back/, 90_000, from);
    await sleep(8000);
    await traffic.stop();
    const http = summary(player);
    const rows = await settled(stack, traffic.callSids);
    // Webhooks that arrive while the server is down get the fallback; the flows themselves go on.
    console.log('[faults] Temporal dev server SIGKILL under load:', { ...http, ...rows });
    expect(http.serverErrors).toBe(0);
    expect(rows.stillRunning).toBe(0);
    expect(rows.smsTwice).toBe(0);
    expect(rows.stepsTwice).toBe(0);
  }, 300_000);

  it('a retry storm (the same webhook five times at once) runs one step and sends one message', async () => {
    const player = new Player(stack.target([0, 0]));
    const base = { AccountSid: `AC${'0'.repeat(32)}`, CallSid: sid('CA'), From: randomCaller(), To: '+15005550100', CallStatus: 'in-progress' };
    const first = (await player.post('voice', '/api/twilio/voice', base)).body;
    const menu = attribute(first, 'Gather', 'action') ?? '';
    const pressed = await Promise.all(Array.from({ length: 5 }, () => player.post('gather', menu, { ...base, Digits: '1' })));
    expect(new Set(pressed.map((r) => r.body)).size).toBe(1);
    const reason = attribute(pressed[0]?.body ?? '', 'Gather', 'action') ?? '';
    const spoken = await Promise.all(Array.from({ length: 5 }, () => player.post('gather', reason, { ...base, SpeechResult: UPSET_REASON, Confidence: '0.9' })));
    expect(new Set(spoken.map((r) => r.body)).size).toBe(1);
    expect(spoken[0]?.body).toContain('<Enqueue');
    await player.post('status', '/api/twilio/status', { ...base, CallStatus: 'completed' });

    const texter = randomCaller();
    const messageSid = sid('SM');
    await Promise.all(Array.from({ length: 5 }, () => player.text(texter, 'hello', messageSid)));

    const [call] = await stack.sql<{ steps: string[]; sms: number }[]>`
      select array(select node_id from interaction_steps s where s.interaction_id = i.id order by seq) as steps,
        (select count(*)::int from messages m where m.interaction_id = i.id and m.direction = 'outbound') as sms
      from interactions i where i.workflow_id = ${`call:${base.CallSid}`}`;
    const [text] = await stack.sql<{ inbound: number; replies: number }[]>`
      select (select count(*)::int from messages where external_sid = ${messageSid}) as inbound,
        (select count(*)::int from messages where to_number = ${texter} and direction = 'outbound') as replies`;
    console.log('[faults] retry storm:', { webhooksSent: 16, stepsRecorded: call?.steps, smsSent: call?.sms, inboundRows: text?.inbound, smsReplies: text?.replies });
    expect(player.samples.every((s) => s.status === 200 && !s.apology)).toBe(true);
    expect(call?.steps).toEqual(['start', 'welcome', 'main-menu', 'ask-reason', 'mood', 'sorry-sms', 'mark-risk', 'route-billing']);
    expect(call?.sms).toBe(1);
    expect(text).toEqual({ inbound: 1, replies: 1 });
  }, 120_000);
});

describe('a stack whose database goes away', () => {
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let stack: Stack;
  let proxy: Awaited<ReturnType<typeof databaseProxy>>;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;

  beforeAll(async () => {
    scratch = await createScratchDatabase(server, 'sb_faults');
    const url = new URL(scratch.url);
    proxy = await databaseProxy({ host: url.hostname, port: Number(url.port || 5432) });
    const proxied = new URL(scratch.url);
    proxied.port = String(proxy.port);
    stack = await startStack({ databaseUrl: proxied.toString(), checkDatabaseUrl: scratch.url });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
    await scratch?.drop();
  });

  it('answers every webhook with fallback TwiML within 10 s, never a 500, and recovers when it returns', async () => {
    const warm = new Player(stack.target([0, 0]));
    await warm.call({ billing: false });
    expect(warm.samples.every((s) => s.ok)).toBe(true);

    proxy.cut();
    const outage = new Player(stack.target([0, 0]));
    const started = Date.now();
    await Promise.all(Array.from({ length: 4 }, () => outage.call({ billing: true })));
    await outage.baseline();
    const during = outage.samples;
    proxy.restore();

    let recoveredAfter = -1;
    const after = new Player(stack.target([0, 0]));
    for (let attempt = 0; attempt < 30; attempt++) {
      await after.call({ billing: false });
      if (after.samples.slice(-5).every((s) => s.ok)) {
        recoveredAfter = Date.now() - started;
        break;
      }
      await sleep(1000);
    }
    const slowest = Math.round(Math.max(...during.map((s) => s.ms)));
    console.log('[faults] database cut:', {
      webhooksDuringOutage: during.length,
      fallbackAnswers: during.filter((s) => s.status === 200 && s.apology).length,
      otherAnswers: during.filter((s) => !s.apology).map((s) => `${s.kind}:${s.status}`),
      slowestMs: slowest,
      recoveredAfterMs: recoveredAfter,
    });
    expect(during.every((s) => s.status === 200)).toBe(true);
    // A call's first webhook needs the database to find its flow: without it, the fallback.
    expect(during.filter((s) => s.kind === 'voice' || s.kind === 'baseline').every((s) => s.apology)).toBe(true);
    expect(slowest).toBeLessThanOrEqual(10_500);
    expect(recoveredAfter).toBeGreaterThan(0);
  }, 300_000);
});
