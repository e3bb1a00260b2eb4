import type { PollClock } from '../types';

/**
 * Last status poll per export job, in this process's memory: a client behind a load balancer may
 * reach another replica and escape the limit, which only costs that replica a cheap status read.
 * Bounded: the oldest entries go first once `max` jobs are remembered.
 */
export function memoryPollClock(max = 10_000): PollClock {
  const last = new Map<string, number>();
  return {
    poll(jobId, nowMs, minIntervalMs) {
      const previous = last.get(jobId);
      if (previous !== undefined && nowMs - previous < minIntervalMs) return previous + minIntervalMs - nowMs;
      last.delete(jobId);
      last.set(jobId, nowMs);
      if (last.size > max) last.delete(last.keys().next().value ?? '');
      return 0;
    },
  };
}
