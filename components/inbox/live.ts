'use client';

import { useSubscription } from '@trpc/tanstack-react-query';
import { type QueryClient, type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTRPC } from '@/components/trpc-provider';

/** Clients with a refetch on its way: a burst of notices costs one refetch. */
const pending = new WeakSet<QueryClient>();

function refetchSoon(queryClient: QueryClient, queryKey: QueryKey) {
  if (pending.has(queryClient)) return;
  pending.add(queryClient);
  window.setTimeout(() => {
    pending.delete(queryClient);
    void queryClient.invalidateQueries({ queryKey });
  }, 120);
}

/**
 * Keeps the inbox's (or the board's) queries live: every routing notice from the server-sent event
 * stream refetches them, coalesced over a short moment; the stream's first event on every
 * (re)connection is a `resync`, so what changed while it was down is fetched again too.
 */
export function useRoutingLive(stream: 'inbox' | 'supervisor'): { live: boolean } {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = trpc.inbox.pathKey();
  const refetch = useCallback(() => refetchSoon(queryClient, queryKey), [queryClient, queryKey]);
  const inbox = useSubscription(trpc.inbox.events.subscriptionOptions(undefined, { enabled: stream === 'inbox', onData: refetch }));
  const board = useSubscription(trpc.inbox.supervisor.events.subscriptionOptions(undefined, { enabled: stream === 'supervisor', onData: refetch }));
  const status = stream === 'inbox' ? inbox.status : board.status;
  return { live: status === 'pending' };
}

/** A short two-tone beep (WebAudio) for an incoming offer; silent where audio is not allowed yet. */
export function ring() {
  try {
    const audio = new AudioContext();
    const gain = audio.createGain();
    gain.gain.value = 0.08;
    gain.connect(audio.destination);
    [880, 660].forEach((frequency, i) => {
      const tone = audio.createOscillator();
      tone.frequency.value = frequency;
      tone.connect(gain);
      tone.start(audio.currentTime + i * 0.18);
      tone.stop(audio.currentTime + i * 0.18 + 0.15);
    });
    window.setTimeout(() => void audio.close(), 600);
  } catch {
    // No audio (autoplay policy, no device): the visual ring is enough.
  }
}

/** Whether a key event comes from a place where typing goes (shortcuts without modifiers stay out of it). */
export function typingIn(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.tagName === 'INPUT' || element.tagName === 'TEXTAREA' || element.tagName === 'SELECT' || element.isContentEditable);
}
