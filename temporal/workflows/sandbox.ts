/**
 * Set once per worker, before any workflow runs: the bundle preloads this module into the shared
 * sandbox context (see `bundlerOptions` in temporal/worker.ts), where its globals are then frozen.
 *
 * The SDK's promise hook records a stack trace for every promise workflow code creates, for the
 * Temporal UI's "stack trace" query, and maps each frame through the bundle's source map. Profiled
 * under load that was about a third of the workflow thread's time. Without frames the hook is
 * cheap; what is lost is that query and the stack of an error thrown inside workflow code (its
 * message stays, and the interpreter reports errors by message).
 */
Error.stackTraceLimit = 0;

export {};
