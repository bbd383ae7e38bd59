import { catalogOf } from '@/workflows/catalog';
import type { NodeCatalog } from '@/workflows/catalog';
import type { NodeDefinition } from '@/nodes/sdk';
import { definitions } from './generated/definitions';

/**
 * Every node type, isomorphic (canvas, compiler, worker): the generated list of definitions
 * (`npm run nodes:registry`), looked up by type and version. A breaking change adds a version
 * beside the old one; flows keep the version they were saved with.
 */
export const nodeDefinitions: readonly NodeDefinition[] = definitions;

export const nodeCatalog: NodeCatalog = catalogOf(nodeDefinitions);

export function nodeKey(type: string, version: number): string {
  return `${type}@${version}`;
}

const byKey = new Map(nodeDefinitions.map((definition) => [nodeKey(definition.type, definition.version), definition]));

/** A type's definition at `version`, or its newest version when none is given. */
export function getDefinition(type: string, version?: number): NodeDefinition | undefined {
  if (version !== undefined) return byKey.get(nodeKey(type, version));
  const newest = nodeCatalog.versions(type).at(-1);
  return newest !== undefined ? byKey.get(nodeKey(type, newest.version)) : undefined;
}

export interface NodeUpgradeOffer {
  to: NodeDefinition;
  changes: string;
  /** The node's config for the new version; throws when the old config does not parse. */
  migrate(config: unknown): unknown;
}

/**
 * The next version of a node saved as `type@version`, when there is one with an upgrade path:
 * its config migrates from the old version's parsed config, one version at a time.
 */
export function upgradeFor(type: string, version: number): NodeUpgradeOffer | undefined {
  const from = getDefinition(type, version);
  const to = getDefinition(type, version + 1);
  if (from === undefined || to?.upgrade === undefined) return undefined;
  const { migrate, changes } = to.upgrade;
  return { to, changes, migrate: (config) => to.configSchema.parse(migrate(from.configSchema.parse(config) as never)) };
}
