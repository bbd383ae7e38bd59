/**
 * Whether a JSON-like value can be stored and passed on as it is. Postgres refuses U+0000 in text
 * and jsonb, and unpaired UTF-16 surrogates in jsonb (other stores replace them with U+FFFD, so the
 * value silently changes); JSON.stringify, Postgres and other recursive readers overflow on values
 * nested thousands of levels deep, which JSON.parse happily reads. Found by the fuzzing properties
 * (issue 10): such input reached the database and came back as a 500.
 */

export interface StorableProblem {
  /** Where in the value, as a zod issue path. */
  path: (string | number)[];
  message: string;
}

export interface StorableOptions {
  /** Deepest nesting allowed: the root is at depth 0, its properties at 1. */
  maxDepth: number;
  /** Stop after this many problems: one bad file should not produce a million diagnostics. */
  maxProblems?: number;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` cannot be stored, or undefined when it can. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored';
  if (UNPAIRED_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate, which is not valid Unicode text';
  return undefined;
}

/**
 * Every string (object keys included) that cannot be stored, and every place nested deeper than
 * `maxDepth`. Iterative, so the check itself cannot overflow on the values it is there to refuse.
 */
export function storableProblems(value: unknown, options: StorableOptions): StorableProblem[] {
  const maxProblems = options.maxProblems ?? 20;
  const problems: StorableProblem[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0 && problems.length < maxProblems) {
    const item = stack.pop() as { value: unknown; path: (string | number)[] };
    if (typeof item.value === 'string') {
      const problem = textProblem(item.value);
      if (problem) problems.push({ path: item.path, message: `text ${problem}` });
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.path.length >= options.maxDepth) {
      problems.push({ path: item.path, message: `nested more than ${options.maxDepth} levels deep` });
      continue;
    }
    const object = item.value as Record<string, unknown>;
    // Own keys only: a sparse array has no holes to visit, an array's indexes become numbers again.
    const entries: [string | number, unknown][] = Object.keys(object).map((key) => [Array.isArray(object) ? Number(key) : key, object[key]]);
    // Pushed in reverse so problems come out in document order.
    for (const [key, child] of entries.reverse()) {
      if (typeof key === 'string') {
        const problem = textProblem(key);
        if (problem) problems.push({ path: [...item.path, key], message: `key ${problem}` });
      }
      stack.push({ value: child, path: [...item.path, key] });
    }
  }
  return problems.slice(0, maxProblems);
}
