import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scaffoldNode } from './new-node';

const read = (root: string, file: string) => fs.readFileSync(path.join(root, file), 'utf8');

describe('new:node', () => {
  it('scaffolds a type with activities and registers it everywhere', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nodes-'));
    expect(scaffoldNode(root, 'lookup-order', { label: 'Look up order', category: 'data', activities: true })).toBe('lookup-order');
    expect(fs.readdirSync(path.join(root, 'lookup-order')).sort()).toEqual(['activities.ts', 'definition.ts', 'lookup-order.test.ts', 'step.ts']);
    expect(read(root, 'lookup-order/definition.ts')).toContain("label: \"Look up order\",\n  description");
    expect(read(root, 'lookup-order/step.ts')).toContain("ctx.activity<{ echoed: string }>('echo'");
    expect(read(root, 'generated/definitions.ts')).toContain("import { definition as lookupOrderV1 } from '../lookup-order/definition';");
    expect(read(root, 'generated/steps.ts')).toContain("'lookup-order@1': lookupOrderV1 satisfies");
    expect(read(root, 'generated/activities.ts')).toContain("import * as lookupOrderActivities from '../lookup-order/activities';");
    expect(() => scaffoldNode(root, 'lookup-order')).toThrow(/already exists/);
    expect(() => scaffoldNode(root, 'Lookup')).toThrow(/usage/);
    expect(() => scaffoldNode(root, 'other', { category: 'nope' })).toThrow(/--category must be one of/);
  });

  it('adds the next version beside the old one, with an upgrade to fill in', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nodes-'));
    scaffoldNode(root, 'greet');
    expect(() => scaffoldNode(root, 'greet', { version: 3 })).toThrow(/next version of greet is 2/);
    expect(() => scaffoldNode(root, 'absent', { version: 2 })).toThrow(/does not exist/);
    expect(scaffoldNode(root, 'greet', { version: 2 })).toBe('greet/v2');
    const definition = read(root, 'greet/v2/definition.ts');
    expect(definition).toContain('version: 2,');
    expect(definition).toContain("import type { definition as previousDefinition } from '../definition';");
    expect(definition).toContain('migrate: (previous: ConfigOf<typeof previousDefinition>) => ({ ...previous }),');
    expect(read(root, 'greet/v2/step.ts')).toContain("import type { definition } from './definition';");
    expect(read(root, 'generated/steps.ts')).toMatch(/'greet@1': greetV1 satisfies .*\n {2}'greet@2': greetV2 satisfies/);
  });
});
