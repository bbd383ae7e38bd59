/** See sandbox-calls.mjs. */
export declare const NO_WATCHDOG_MS: number;
