// Sizes the rings of a job's channels within a job-wide memory budget (as Flink bounds its network
// buffers): every all-to-all edge has producers x consumers channels, so channel memory grows with
// the square of the parallelism. A job whose channels cannot get their minimum is refused before
// it runs; a parallelism far above the cores is warned about.

import { StreamError } from '../core/errors.js';
import type { Logger } from '../core/log.js';

/** The ring of a channel when memory allows: room for several full batches, so producers rarely wait. */
export const MAX_RING_BYTES = 512 * 1024;
/**
 * The smallest ring a channel gets: a record must fit in half a ring (32 KiB here), and below this
 * batches shrink to a few records and producers wait more than they work.
 */
export const MIN_RING_BYTES = 64 * 1024;
/** The default job-wide budget for the rings of all channels. */
export const DEFAULT_CHANNEL_MEMORY = 256 * 1024 * 1024;
/** Subtasks per core above which eddy warns: more parallelism then adds channels and switching, not speed. */
const SUBTASKS_PER_CORE_WARNING = 4;

/** How much ring memory a job's channels get. */
export interface ChannelMemory {
  readonly channels: number;
  /** Ring capacity of every channel, a power of two. */
  readonly bytesPerChannel: number;
  readonly totalBytes: number;
  /** The budget the rings were sized within. */
  readonly budgetBytes: number;
}

const MIB = 1024 * 1024;

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(bytes % MIB === 0 ? 0 : 1)} MiB`;
}

/**
 * The largest power-of-two ring of at most `MAX_RING_BYTES` that lets `channels` rings fit in
 * `budgetBytes`. Throws a StreamError saying what to change when even `MIN_RING_BYTES` does not fit.
 */
export function sizeChannels(channels: number, budgetBytes: number, maxParallelism: number): ChannelMemory {
  let bytesPerChannel = MAX_RING_BYTES;
  while (bytesPerChannel > MIN_RING_BYTES && channels * bytesPerChannel > budgetBytes) bytesPerChannel /= 2;
  if (channels * bytesPerChannel > budgetBytes) {
    throw new StreamError(
      'INVALID_GRAPH',
      `The job needs ${channels} channels between its subtasks, since an edge that shuffles (keyBy, rebalance, broadcast) links every producer subtask ` +
        `to every consumer subtask, so channels grow with the square of the parallelism (here up to ${maxParallelism}); each needs at least ${MIN_RING_BYTES / 1024} KiB: ` +
        `${mib(channels * MIN_RING_BYTES)} in all, more than the channel memory budget of ${mib(budgetBytes)}. ` +
        'Lower the parallelism (eddy runs best near one subtask per core), or raise the budget with env.setChannelMemory(bytes).',
    );
  }
  return { channels, bytesPerChannel, totalBytes: channels * bytesPerChannel, budgetBytes };
}

/** Warns once per job (in its log) when its highest parallelism is far above the machine's cores. */
export function warnIfFarAboveCores(maxParallelism: number, cores: number, log: Logger): void {
  if (maxParallelism <= SUBTASKS_PER_CORE_WARNING * cores) return;
  log.warn(
    { code: 'EDDY_PARALLELISM_ABOVE_CORES', parallelism: maxParallelism, cores },
    `The job runs at parallelism ${maxParallelism} on ${cores} cores. Each subtask is an actor sharing the cores' worker threads: ` +
      'beyond about one subtask per core, more parallelism adds channels (memory grows with the square of the parallelism) and switching between actors, not speed.',
  );
}
