import { describe, expect, it } from 'vitest';
import { adjacencyOf, cyclicComponents, outgoingEdges, reachableFrom, stronglyConnectedComponents } from './graph';

const e = (source: string, target: string) => ({ source, target });

describe('outgoingEdges', () => {
  it('groups edges by source in document order', () => {
    const edges = [{ id: '1', ...e('a', 'b') }, { id: '2', ...e('b', 'c') }, { id: '3', ...e('a', 'c') }];
    const index = outgoingEdges(edges);
    expect([...index.keys()]).toEqual(['a', 'b']);
    expect(index.get('a')?.map((x) => x.id)).toEqual(['1', '3']);
  });
});

describe('adjacencyOf', () => {
  it('lists every node and drops edges with an unknown end', () => {
    const adjacency = adjacencyOf(['a', 'b', 'c'], [e('a', 'b'), e('a', 'ghost'), e('ghost', 'c'), e('b', 'b')]);
    expect([...adjacency]).toEqual([
      ['a', ['b']],
      ['b', ['b']],
      ['c', []],
    ]);
  });
});

describe('reachableFrom', () => {
  it('follows edges from every start', () => {
    const adjacency = adjacencyOf(['a', 'b', 'c', 'd', 'x', 'y'], [e('a', 'b'), e('b', 'c'), e('c', 'a'), e('x', 'y')]);
    expect([...reachableFrom(adjacency, ['a'])].sort()).toEqual(['a', 'b', 'c']);
    expect([...reachableFrom(adjacency, ['a', 'x'])].sort()).toEqual(['a', 'b', 'c', 'x', 'y']);
    expect([...reachableFrom(adjacency, [])]).toEqual([]);
  });
});

describe('stronglyConnectedComponents', () => {
  it('finds components in reverse topological order, members in node order', () => {
    // a → (b ⇄ c) → d, plus a self-loop on e reached from d.
    const adjacency = adjacencyOf(
      ['a', 'b', 'c', 'd', 'e'],
      [e('a', 'c'), e('c', 'b'), e('b', 'c'), e('b', 'd'), e('d', 'e'), e('e', 'e')],
    );
    expect(stronglyConnectedComponents(adjacency)).toEqual([['e'], ['d'], ['b', 'c'], ['a']]);
    expect(cyclicComponents(adjacency)).toEqual([['e'], ['b', 'c']]);
  });

  it('handles nested cycles as one component', () => {
    const adjacency = adjacencyOf(['a', 'b', 'c', 'd'], [e('a', 'b'), e('b', 'a'), e('b', 'c'), e('c', 'd'), e('d', 'b')]);
    expect(cyclicComponents(adjacency)).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('reports no cycles in a DAG', () => {
    const adjacency = adjacencyOf(['a', 'b', 'c'], [e('a', 'b'), e('a', 'c'), e('b', 'c')]);
    expect(cyclicComponents(adjacency)).toEqual([]);
  });

  it('does not overflow the stack on a long chain', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `n${i}`);
    const edges = ids.slice(1).map((id, i) => e(ids[i]!, id));
    edges.push(e(ids.at(-1)!, ids[0]!));
    const components = cyclicComponents(adjacencyOf(ids, edges));
    expect(components).toHaveLength(1);
    expect(components[0]).toHaveLength(ids.length);
  });
});
