/**
 * Canvas benchmark: generates 500- and 2,000-node flows, opens each in Chromium against a running
 * app, and prints how long opening takes and the frame times while panning (as opened, and
 * zoomed out to fit every card). Run the app first (`npm run build && npm start`), then `npm run bench`.
 *
 * BENCH_URL (default http://localhost:3000), BENCH_EMAIL / BENCH_PASSWORD (default: the seeded
 * designer), CHROMIUM_PATH (default /usr/bin/chromium), BENCH_SIZES (default 500,2000).
 */
import { type Browser, chromium, type Page } from 'playwright-core';
import type { FlowDocument, FlowEdge, FlowNode } from '@/workflows/document';

const baseUrl = process.env.BENCH_URL ?? 'http://localhost:3000';
const email = process.env.BENCH_EMAIL ?? 'designer@switchboard.local';
const password = process.env.BENCH_PASSWORD ?? 'switchboard-designer';
const sizes = (process.env.BENCH_SIZES ?? '500,2000').split(',').map(Number);

/** A valid flow of `count` nodes: a trigger, IVR menus every tenth node, says in between, an end; laid out on a grid. */
export function generateFlow(count: number): FlowDocument {
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const columns = 25;
  const at = (i: number) => ({ x: (i % columns) * 320, y: Math.floor(i / columns) * 220 });
  nodes.push({ id: 'start', type: 'incoming-call', typeVersion: 1, position: at(0), config: {} });
  for (let i = 1; i < count - 1; i++) {
    const id = `n${i}`;
    if (i % 10 === 0) {
      nodes.push({
        id,
        type: 'ivr-menu',
        typeVersion: 1,
        position: at(i),
        config: {
          prompt: `Menu ${i}: press 1 or 2`,
          options: [
            { digit: '1', label: 'One', keywords: [] },
            { digit: '2', label: 'Two', keywords: [] },
          ],
        },
      });
    } else {
      nodes.push({ id, type: 'say', typeVersion: 1, position: at(i), config: { text: `Step ${i}, hello {{customer.firstName}}` } });
    }
  }
  nodes.push({ id: 'end', type: 'end', typeVersion: 1, position: at(count - 1), config: { message: 'Bye' } });
  for (const [i, node] of nodes.entries()) {
    const next = nodes[i + 1]?.id;
    if (next === undefined) break; // the last node ('end') has no way out
    if (node.type === 'ivr-menu') {
      edges.push({ id: `e${i}a`, source: node.id, sourcePort: 'option-1', target: next });
      edges.push({ id: `e${i}b`, source: node.id, sourcePort: 'option-2', target: next });
    } else {
      edges.push({ id: `e${i}`, source: node.id, sourcePort: 'next', target: next });
    }
  }
  return { format: 'switchboard.flow/1', name: `Bench ${count} nodes`, nodes, edges };
}

async function signIn(page: Page) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

async function trpcMutation<T>(page: Page, path: string, input: unknown): Promise<T> {
  // From the app's origin, as the page's own fetch: a mutation with cookies and no Origin is refused.
  const response = await page.request.post(`${baseUrl}/api/trpc/${path}`, { data: { json: input }, headers: { origin: new URL(baseUrl).origin } });
  const body = await response.json();
  if (!response.ok()) throw new Error(`${path}: ${response.status()} ${JSON.stringify(body?.error?.json?.message ?? body)}`);
  return body.result.data.json as T;
}

/** Frame times while the pane is dragged for about two seconds. */
async function panFrames(page: Page): Promise<number[]> {
  const pane = await page.locator('.react-flow__pane').boundingBox();
  if (!pane) throw new Error('no pane');
  // Plain source text: tsx would wrap named functions in a helper the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (!window.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const cx = pane.x + pane.width / 2;
  const cy = pane.y + pane.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let round = 0; round < 4; round++) {
    const dir = round % 2 === 0 ? -1 : 1;
    for (let step = 1; step <= 30; step++) {
      await page.mouse.move(cx + dir * step * 10, cy + dir * step * 6);
      await page.waitForTimeout(16);
    }
  }
  await page.mouse.up();
  return page.evaluate<number[]>('(window.__stop = true, window.__frames.slice(1))');
}

function stats(frames: number[]) {
  const sorted = [...frames].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = frames.reduce((s, f) => s + f, 0) / Math.max(frames.length, 1);
  return { frames: frames.length, p50: pick(0.5), p95: pick(0.95), max: sorted.at(-1) ?? 0, fps: 1000 / mean };
}

async function benchSize(browser: Browser, count: number) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  await signIn(page);
  const document = generateFlow(count);
  const created = await trpcMutation<{ ok: boolean; flowId: string }>(page, 'flows.import', { json: JSON.stringify(document) });
  try {
    const started = Date.now();
    await page.goto(`${baseUrl}/flows/${created.flowId}`);
    await page.locator('.react-flow__node').first().waitFor();
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    const openMs = Date.now() - started;
    const rendered = await page.locator('.react-flow__node').count();
    const zoom = await page.evaluate<string>('document.querySelector(".react-flow__viewport").style.transform.match(/scale\\(([^)]*)\\)/)[1]');
    const atOpen = stats(await panFrames(page));
    await page.getByTestId('fit-view').click();
    await page.waitForTimeout(500);
    const renderedFit = await page.locator('.react-flow__node').count();
    const atFit = stats(await panFrames(page));
    return { count, openMs, rendered, zoom: Number(zoom), renderedFit, atOpen, atFit };
  } finally {
    await trpcMutation(page, 'flows.archive', { id: created.flowId, archived: true }).catch(() => undefined);
    await context.close();
  }
}

export async function runCanvasBench() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  try {
    console.log(`canvas bench against ${baseUrl}`);
    const f = (n: number) => n.toFixed(1).padStart(7);
    for (const count of sizes) {
      const r = await benchSize(browser, count);
      console.log(`\n${r.count} nodes: opened in ${r.openMs} ms (zoom ${r.zoom.toFixed(2)}, ${r.rendered} cards rendered)`);
      console.log('  panning            frames   p50 ms   p95 ms   max ms      fps');
      console.log(`  as opened        ${String(r.atOpen.frames).padStart(7)}  ${f(r.atOpen.p50)}  ${f(r.atOpen.p95)}  ${f(r.atOpen.max)}  ${f(r.atOpen.fps)}`);
      console.log(`  fit (${String(r.renderedFit).padStart(4)} cards) ${String(r.atFit.frames).padStart(7)}  ${f(r.atFit.p50)}  ${f(r.atFit.p95)}  ${f(r.atFit.max)}  ${f(r.atFit.fps)}`);
    }
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCanvasBench().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
