import { describe, expect, it } from 'vitest';
import { executionPath, tagsApplied } from './path';

const edges = [
  { id: 'e1', source: 'start', sourcePort: 'next', target: 'menu' },
  { id: 'e2', source: 'menu', sourcePort: 'option-1', target: 'ask' },
  { id: 'e3', source: 'menu', sourcePort: 'option-2', target: 'tech' },
  { id: 'e4', source: 'ask', sourcePort: 'collected', target: 'tag' },
  { id: 'e5', source: 'tag', sourcePort: 'next', target: 'route' },
];

describe('executionPath', () => {
  it('follows the ports the steps left by, and names the node a running call is in', () => {
    const steps = [
      { nodeId: 'start', port: 'next' },
      { nodeId: 'menu', port: 'option-1' },
      { nodeId: 'ask', port: 'collected' },
      { nodeId: 'tag', port: 'next' },
    ];
    expect(executionPath({ edges }, steps, true)).toEqual({ visitedNodeIds: ['start', 'menu', 'ask', 'tag'], takenEdgeIds: ['e1', 'e2', 'e4', 'e5'], currentNodeId: 'route' });
    expect(executionPath({ edges }, steps, false).currentNodeId).toBeNull();
  });

  it('takes no edge for a step that ended the run or failed, and tolerates a missing document', () => {
    expect(executionPath({ edges }, [{ nodeId: 'start', port: 'next' }, { nodeId: 'menu', port: null }], true)).toEqual({ visitedNodeIds: ['start', 'menu'], takenEdgeIds: ['e1'], currentNodeId: null });
    expect(executionPath(null, [{ nodeId: 'x', port: 'next' }], false)).toEqual({ visitedNodeIds: ['x'], takenEdgeIds: [], currentNodeId: null });
  });
});

describe('tagsApplied', () => {
  it('reads the tags of set-tag and remove-tag steps from the node config', () => {
    const nodes = [
      { id: 'tag', type: 'set-tag', typeVersion: 1, position: { x: 0, y: 0 }, config: { tags: ['complaint-risk'] } },
      { id: 'untag', type: 'remove-tag', typeVersion: 1, position: { x: 0, y: 0 }, config: { tags: ['vip', 3] } },
    ];
    expect(
      tagsApplied({ nodes }, [
        { seq: 1, nodeId: 'start', nodeType: 'incoming-call' },
        { seq: 2, nodeId: 'tag', nodeType: 'set-tag' },
        { seq: 3, nodeId: 'untag', nodeType: 'remove-tag' },
      ]),
    ).toEqual([
      { seq: 2, nodeId: 'tag', change: 'add', tags: ['complaint-risk'] },
      { seq: 3, nodeId: 'untag', change: 'remove', tags: ['vip'] },
    ]);
  });
});
