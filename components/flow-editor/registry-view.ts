import { NODE_CATEGORIES, type NodeCategory, type NodeDefinition, type PortDef } from '@/nodes/sdk';

/** Dragged from the palette: `type@version`. */
export const NODE_DRAG_MIME = 'application/x-switchboard-node';

export interface PaletteGroup {
  category: NodeCategory;
  items: NodeDefinition[];
}

/**
 * Newest version of each type, grouped by category in registry order; `query` matches label, type
 * or description, and any `localized` words (the label and description in the viewer's language).
 */
export function paletteGroups(definitions: readonly NodeDefinition[], query = '', localized: (d: NodeDefinition) => string[] = () => []): PaletteGroup[] {
  const newest = new Map<string, NodeDefinition>();
  for (const definition of definitions) {
    const current = newest.get(definition.type);
    if (!current || definition.version > current.version) newest.set(definition.type, definition);
  }
  const needle = query.trim().toLowerCase();
  const matches = (d: NodeDefinition) => !needle || [d.label, d.type, d.description, d.category, ...localized(d)].some((text) => text.toLowerCase().includes(needle));
  const groups: PaletteGroup[] = [];
  const categories: string[] = [...NODE_CATEGORIES];
  for (const d of newest.values()) if (!categories.includes(d.category)) categories.push(d.category);
  for (const category of categories) {
    const items = [...newest.values()].filter((d) => d.category === category && matches(d));
    if (items.length > 0) groups.push({ category: category as NodeCategory, items });
  }
  return groups;
}

/** The ports a config gives; a config that does not parse still shows the ports it can (the fields it has). */
export function portsOf(definition: NodeDefinition, config: unknown): readonly PortDef[] {
  const parsed = definition.configSchema.safeParse(config);
  try {
    return definition.ports((parsed.success ? parsed.data : config) as never);
  } catch {
    return [];
  }
}

/** The card's one-line summary, or the type's description when the config is too broken to summarise. */
export function summaryOf(definition: NodeDefinition, config: unknown): string {
  const parsed = definition.configSchema.safeParse(config);
  if (!parsed.success) return definition.description;
  try {
    return definition.summary(parsed.data as never);
  } catch {
    return definition.description;
  }
}
