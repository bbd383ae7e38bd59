/**
 * Activities of custom node types (from their `activities.ts`), keyed by the name a step passes to
 * `ctx.activity(name, input)`. The worker merges this map into its activities. The built-in
 * types need none of their own.
 */
export const customNodeActivities: Readonly<Record<string, (input: unknown) => Promise<unknown>>> = {};
