/**
 * Loaded before the worker (and, as a preload, in its workflow threads; see WORKER_NODE_ARGS).
 * Plain JavaScript: a preload runs in the SDK's workflow threads before tsx can compile TypeScript there.
 *
 * The Temporal SDK passes its isolate execution timeout to every call into a workflow's sandbox
 * (`node:vm`), and Node starts and joins a watchdog thread for each such call. Profiled under load
 * that was most of the workflow thread's time (about 60 %: a call costs 85 µs on an idle machine
 * against 2 µs without a timeout, and far more when the machine is busy). A worker that sets its
 * isolate execution timeout to NO_WATCHDOG_MS gets its sandbox calls run without a watchdog. What
 * is lost is the guard against workflow code that never returns (an endless loop in a step): the
 * compiler refuses flows that loop without waiting for the caller, and runs stop after MAX_STEPS.
 */
import vm from 'node:vm';

/** A timeout no one else uses (just under Node's maximum), marking calls that need no watchdog. */
export const NO_WATCHDOG_MS = 4_294_967_294;

const marker = Symbol.for('switchboard.sandbox-calls');
const script = vm.Script.prototype;

if (!script[marker]) {
  const original = script.runInContext;
  script.runInContext = function runInContext(context, options) {
    if (options?.timeout === NO_WATCHDOG_MS) {
      const { timeout: _timeout, ...rest } = options;
      return original.call(this, context, rest);
    }
    return original.call(this, context, options);
  };
  script[marker] = true;
}
