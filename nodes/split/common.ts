/** Shared by the definition and the (zod-free) step. */
export function branchPort(id: string): string {
  return `branch-${id}`;
}
