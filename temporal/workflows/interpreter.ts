import { ActivityFailure, isCancellation, proxyActivities, proxyLocalActivities, uuid4 } from '@temporalio/workflow';
import { getStep } from '@/nodes/steps';
import type {
  AskSpec,
  CallerInput,
  CustomerSnapshot,
  EmotionResult,
  HoldOutcome,
  HoldSpec,
  PathEntry,
  SayOptions,
  StepContext,
  StepResult,
  Utterance,
  VarValue,
} from '@/nodes/sdk';
import { renderTemplate, templateScope } from '@/nodes/shared/template';
import type { Channel } from '@/workflows/catalog';
import type { CompiledFlow, CompiledNode } from '@/workflows/compiled';
import type * as activities from '../activities';
import type { HandoffChange, HandoffRecord, StepRecord, TagChange } from '../activities/runtime';

/** Studio's limit: a run that takes this many steps is looping, not serving a customer. */
export const MAX_STEPS = 1000;

/**
 * Workflow time in milliseconds. Inside Temporal's workflow sandbox `Date` is the SDK's
 * deterministic clock (the time of the current workflow task), so replays see the same values.
 */
export function workflowNow(): number {
  // eslint-disable-next-line no-restricted-properties -- the one clock helper: in the sandbox this Date is Temporal's
  return Date.now();
}

/**
 * Database work: short, local to the worker. Retried for minutes, not a few times: a database that
 * is away for a while (a restart, a failover) must delay a run, not end it. The caller waiting on a
 * webhook meanwhile gets the fallback answer at the webhook's own deadline.
 */
export const local = proxyLocalActivities<typeof activities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '5 seconds' },
});

/**
 * Outbound messages: a local activity too (a Twilio REST call takes well under a second, and a
 * regular activity would cost Temporal a task and three events per message), given longer and
 * retried with backoff. The port sends each idempotency key at most once, retries included.
 */
export const outbound = proxyLocalActivities<typeof activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 6 },
});

/** Custom node activities: may take long, run as regular activities with their own retries. */
export const remote = proxyActivities<typeof activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 6 },
});

export type RunStatus = 'completed' | 'escalated' | 'abandoned' | 'failed';

/** The caller is gone (hung up, or silent past the idle limit): the run ends as abandoned. */
export class CallerGone extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CallerGone';
  }
}

/** How a channel talks to the customer. Voice buffers TwiML verbs; SMS sends messages. */
export interface Transport {
  readonly channel: Channel;
  say(utterance: Utterance): void;
  ask(spec: AskSpec): Promise<CallerInput | null>;
  /** `handoffId`: the handoff the step created for this hold, if any (an agent accepting it ends the hold). */
  hold(spec: HoldSpec, handoffId?: string): Promise<HoldOutcome>;
  dial(number: string): void;
  /** Delivers anything said so far; called before other side effects so the order holds. */
  flush(): Promise<void>;
  /** Whether the customer has gone (hang-up); decides abandoned versus completed. */
  readonly callerGone: boolean;
}

export interface RunIdentity {
  /** Unique per run; prefix of every idempotency key. */
  key: string;
  interactionId: string;
  customer: CustomerSnapshot;
  flowNumber: string;
}

export interface RunOutcome {
  status: RunStatus;
  error?: string;
}

/**
 * One run of a compiled flow: the state the steps see (customer, variables, last input, emotion,
 * path) and the loop that runs node after node. Deterministic; side effects go through activities.
 *
 * Database writes the flow itself decides (its steps, handoffs, tag changes, the emotion score) are
 * collected and written by one local activity before the next reply, so a step costs one round
 * trip to the worker, not one per write; the caller hears nothing before its rows exist.
 */
export class FlowRun {
  customer: CustomerSnapshot;
  vars: Record<string, VarValue> = {};
  lastInput: CallerInput | null;
  emotion: EmotionResult | null = null;
  readonly path: PathEntry[] = [];
  private stepSeq = 0;
  private effectSeq = 0;
  private pending: StepRecord[] = [];
  private handoffs: HandoffRecord[] = [];
  private handoffChanges: HandoffChange[] = [];
  /** The handoff the current step created, for the hold that follows it. */
  private stepHandoff: string | null = null;
  private tagChanges: TagChange[] = [];
  private emotionChanged = false;
  private stepInputs: string[] = [];

  constructor(
    readonly flow: CompiledFlow,
    readonly identity: RunIdentity,
    readonly transport: Transport,
    firstInput: CallerInput | null = null,
  ) {
    this.customer = identity.customer;
    this.lastInput = firstInput;
  }

  /** A fresh idempotency key for the next side effect, stable across replays and retries. */
  nextKey(kind: string): string {
    this.effectSeq += 1;
    return `${this.identity.key}:${kind}:${this.effectSeq}`;
  }

  /** Writes the finished steps and what they decided; called before every reply so rows exist when the webhook answers. */
  async save(finish?: RunOutcome): Promise<void> {
    const { pending: steps, handoffs, handoffChanges, tagChanges } = this;
    if (steps.length === 0 && handoffs.length === 0 && handoffChanges.length === 0 && tagChanges.length === 0 && !this.emotionChanged && !finish) return;
    this.pending = [];
    this.handoffs = [];
    this.handoffChanges = [];
    this.tagChanges = [];
    const emotion = this.emotionChanged && this.emotion ? { score: this.emotion.score, label: this.emotion.label } : undefined;
    this.emotionChanged = false;
    await local.recordProgress({
      interactionId: this.identity.interactionId,
      customerId: this.customer.id,
      steps,
      ...(handoffs.length > 0 && { handoffs }),
      ...(handoffChanges.length > 0 && { handoffChanges }),
      ...(tagChanges.length > 0 && { tagChanges }),
      ...(emotion && { emotion }),
      ...(finish && { finish: { status: finish.status, vars: this.vars, ...(finish.error !== undefined && { error: finish.error }) } }),
    });
  }

  async run(): Promise<RunOutcome> {
    let nodeId: string | null = this.flow.entry;
    while (nodeId !== null) {
      if (this.stepSeq >= MAX_STEPS) return { status: 'failed', error: `step limit of ${MAX_STEPS} reached` };
      const node: CompiledNode | undefined = Object.hasOwn(this.flow.nodes, nodeId) ? this.flow.nodes[nodeId] : undefined;
      if (node === undefined) return { status: 'failed', error: `node ${nodeId} is not in the program` };
      const step = getStep(node.type, node.typeVersion);
      if (step === undefined) return { status: 'failed', error: `no step code for ${node.type}@${node.typeVersion}` };

      const startedAt = workflowNow();
      this.stepInputs = [];
      this.stepHandoff = null;
      let result: StepResult;
      try {
        result = await step.run(node.config as never, this.context(node));
      } catch (error) {
        if (isCancellation(error)) throw error;
        const gone = error instanceof CallerGone;
        const message = gone ? error.reason : describeError(error);
        this.finishStep(node, startedAt, null, message);
        return gone ? { status: 'abandoned', error: message } : { status: 'failed', error: message };
      }

      if ('end' in result) {
        this.finishStep(node, startedAt, null, null, { end: result.end });
        switch (result.end) {
          case 'escalated':
            return { status: 'escalated' };
          case 'completed':
            return { status: 'completed' };
          case 'hangup':
            // The flow hanging up is a finished call; the caller hanging up on a hold is not.
            return { status: this.transport.callerGone ? 'abandoned' : 'completed' };
          default: {
            const unknown: never = result.end;
            return { status: 'failed', error: `unknown end ${String(unknown)}` };
          }
        }
      }
      this.finishStep(node, startedAt, result.port, null);
      const next: string | null | undefined = Object.hasOwn(node.next, result.port) ? node.next[result.port] : undefined;
      if (next === undefined) return { status: 'failed', error: `${node.id} left by unknown port ${result.port}` };
      nodeId = next;
    }
    return { status: 'completed' };
  }

  /** Written with the next save, like the steps: what became of a handoff the run held for. */
  handoffChanged(id: string, to: HandoffChange['to']): void {
    this.handoffChanges.push({ id, to });
  }

  private finishStep(node: CompiledNode, startedAt: number, port: string | null, error: string | null, data: Record<string, unknown> = {}) {
    const input = this.stepInputs.at(-1) ?? null;
    this.stepSeq += 1;
    this.pending.push({
      seq: this.stepSeq,
      nodeId: node.id,
      nodeType: node.type,
      port,
      input,
      // What the run looked like after this step, for the execution view's step-by-step detail.
      data: {
        ...data,
        ...(this.stepInputs.length > 1 && { inputs: [...this.stepInputs] }),
        vars: { ...this.vars },
        tags: [...this.customer.tags],
        ...(this.emotion && { emotion: { score: this.emotion.score, label: this.emotion.label } }),
      },
      error,
      startedAt,
      endedAt: workflowNow(),
    });
    this.path.push({ nodeId: node.id, type: node.type, ...(node.typeLabel !== undefined && { typeLabel: node.typeLabel }), port, ...(input !== null && { input }) });
  }

  private context(node: CompiledNode): StepContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the context's getters read live run state
    const run = this;
    const transport = this.transport;
    return {
      channel: transport.channel,
      node: { id: node.id, type: node.type },
      get customer() {
        return run.customer;
      },
      flowNumber: run.identity.flowNumber,
      get vars() {
        return run.vars;
      },
      get lastInput() {
        return run.lastInput;
      },
      get emotion() {
        return run.emotion;
      },
      get path() {
        return run.path;
      },
      render: (template) =>
        renderTemplate(template, templateScope({ customer: run.customer, vars: run.vars, lastInput: run.lastInput, emotion: run.emotion, flowNumber: run.identity.flowNumber })),
      say: (text: string, options?: SayOptions) => {
        if (text.trim() !== '') transport.say({ text, ...options });
      },
      ask: async (spec) => {
        const answer = await transport.ask(spec);
        run.stepInputs.push(answer?.text ?? '');
        if (answer !== null) run.lastInput = answer;
        return answer;
      },
      hold: async (spec) => {
        const handoffId = run.stepHandoff ?? undefined;
        run.stepHandoff = null;
        const outcome = await transport.hold(spec, handoffId);
        // Nobody took it in time, or the caller left the queue: the handoff stops waiting.
        if (handoffId !== undefined && outcome !== 'bridged') run.handoffChanged(handoffId, outcome === 'hangup' ? 'abandoned' : 'timeout');
        return outcome;
      },
      dial: (number) => transport.dial(number),
      setVar: (name, value) => {
        run.vars = { ...run.vars, [name]: value };
      },
      setTags: async (change) => {
        const add = change.add ?? [];
        const remove = change.remove ?? [];
        if (add.length === 0 && remove.length === 0) return;
        run.tagChanges.push({ add, remove });
        const tags = new Set(run.customer.tags);
        for (const tag of add) tags.add(tag);
        for (const tag of remove) tags.delete(tag);
        run.customer = { ...run.customer, tags: [...tags].sort() };
      },
      scoreEmotion: async (text) => {
        const result = await local.scoreEmotion({ text });
        run.emotion = result;
        run.emotionChanged = true;
        return result;
      },
      createHandoff: async (request) => {
        // The id is the workflow's own (seeded, so replays make the same); the row is written with the step.
        const handoffId = uuid4();
        run.stepHandoff = handoffId;
        run.handoffs.push({ ...request, id: handoffId, idempotencyKey: run.nextKey('handoff') });
        return { handoffId };
      },
      sendSms: async (request) => {
        await transport.flush();
        const result = await outbound.sendSms({
          ...request,
          from: run.identity.flowNumber,
          idempotencyKey: run.nextKey('sms'),
          interactionId: run.identity.interactionId,
          customerId: run.customer.id,
        });
        return result.ok ? { ok: true } : { ok: false, error: result.error };
      },
      activity: async <T>(name: string, input: unknown) => (await remote.runNodeActivity({ name: `${node.type}.${name}`, input })) as T,
      random: workflowRandom,
      now: workflowNow,
    };
  }
}

/**
 * Deterministic 0 ≤ x < 1. Inside Temporal's workflow sandbox `Math.random` is the SDK's seeded
 * generator, so replays see the same values.
 */
export function workflowRandom(): number {
  // eslint-disable-next-line no-restricted-properties -- the sandbox's Math.random is Temporal's seeded generator
  return Math.random();
}

export function describeError(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return `${error.activityType ?? 'activity'} failed: ${error.cause.message}`;
  return error instanceof Error ? error.message : String(error);
}
