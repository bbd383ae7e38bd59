import { describe, expect, it } from 'vitest';
import { emotionScored, executionPath, tagsApplied } from './path';

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
  const step = (seq: number, nodeId: string, data: Record<string, unknown>) => ({ seq, nodeId, data });

  it('reads each step’s tag changes from the tag snapshots before and after it, whatever the node', () => {
    expect(
      tagsApplied([
        step(1, 'start', { vars: {}, tags: ['vip'] }),
        step(2, 'tag', { vars: {}, tags: ['complaint-risk', 'vip'] }),
        step(3, 'menu', { vars: {}, tags: ['complaint-risk', 'vip'] }),
        step(4, 'untag', { vars: {}, tags: ['complaint-risk'] }),
        step(5, 'crm-sync', { vars: {}, tags: ['gold', 'vip'] }),
      ]),
    ).toEqual([
      { seq: 2, nodeId: 'tag', change: 'add', tags: ['complaint-risk'] },
      { seq: 4, nodeId: 'untag', change: 'remove', tags: ['vip'] },
      { seq: 5, nodeId: 'crm-sync', change: 'add', tags: ['gold', 'vip'] },
      { seq: 5, nodeId: 'crm-sync', change: 'remove', tags: ['complaint-risk'] },
    ]);
  });

  it('takes the first snapshot as the baseline and passes over steps recorded without one', () => {
    expect(tagsApplied([step(1, 'start', { tags: ['vip'] })])).toEqual([]);
    expect(tagsApplied([step(1, 'old', {}), step(2, 'start', { tags: [] }), step(3, 'old', {}), step(4, 'tag', { tags: ['vip', 3] })])).toEqual([
      { seq: 4, nodeId: 'tag', change: 'add', tags: ['vip'] },
    ]);
  });
});

describe('emotionScored', () => {
  it('names the steps after which the emotion changed, whatever the node', () => {
    const scored = emotionScored([
      { seq: 1, nodeId: 'start', data: { vars: {} } },
      { seq: 2, nodeId: 'mood', data: { emotion: { score: -0.6, label: 'upset' } } },
      { seq: 3, nodeId: 'sorry', data: { emotion: { score: -0.6, label: 'upset' } } },
      { seq: 4, nodeId: 'sentiment-api', data: { emotion: { score: 0.4, label: 'positive' } } },
      { seq: 5, nodeId: 'broken', data: { emotion: { score: 'high' } } },
    ]);
    expect([...scored]).toEqual([
      [2, { score: -0.6, label: 'upset' }],
      [4, { score: 0.4, label: 'positive' }],
    ]);
  });
});
