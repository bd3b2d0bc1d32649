// The producer side of network edges: per-channel batching of records into msgpack frames, the
// partitioners that pick a channel per record (forward, rebalance, hash by key group, broadcast;
// a hashed record's key group travels with it),
// and the queue of frames waiting for room in a full ring (backpressure).

import { StreamError } from '../core/errors.js';
import { keyGroupOf, operatorIndexForKeyGroup } from '../core/key-groups.js';
import type { ControlElement } from '../core/stream-element.js';
import type { PartitionKind } from '../core/job-plan.js';
import type { BatchEncoder } from './channels/batch-codec.js';
import { encodeControl, type ControlFrame } from './channels/control-codec.js';
import type { Doorbells } from './channels/doorbell.js';
import { FrameKind } from './channels/frame-kinds.js';
import type { RingBuffer } from './channels/ring-buffer.js';
import type { Downstream } from './downstream.js';
import { tagged } from './operator-failure.js';

/** Records per batch: large enough to amortise encoding, small enough to keep frames modest. */
export const BATCH_SIZE = 1024;

/** Frames an actor could not write yet because a ring was full. */
export class Backlog {
  private readonly waiting = new Set<ChannelWriter>();

  add(writer: ChannelWriter): void {
    this.waiting.add(writer);
  }

  get isEmpty(): boolean {
    return this.waiting.size === 0;
  }

  /** Writes what fits now; true when nothing is left waiting. */
  tryDrain(): boolean {
    for (const writer of this.waiting) if (writer.tryDrain()) this.waiting.delete(writer);
    return this.waiting.size === 0;
  }
}

/** Batches records for one channel (one consumer subtask) and writes frames into its ring. */
export class ChannelWriter {
  private values: unknown[] = [];
  private readonly timestamps = new Float64Array(BATCH_SIZE);
  private hasTimestamps = false;
  /** The key group of each batched record, on a keyed edge (made at its first record). */
  private keyGroups: Uint16Array | null = null;
  private readonly queued: { kind: number; payload: Uint8Array }[] = [];

  constructor(
    private readonly ring: RingBuffer,
    private readonly bells: Doorbells,
    private readonly consumerActor: number,
    private readonly encoder: BatchEncoder,
    private readonly backlog: Backlog,
    /** The node whose output this channel carries: a record that cannot be encoded is its failure. */
    private readonly producerNodeId: number,
  ) {}

  add(value: unknown, timestamp: number): void {
    const n = this.values.length;
    this.values.push(value);
    this.timestamps[n] = timestamp;
    if (timestamp === timestamp) this.hasTimestamps = true;
    if (n + 1 === BATCH_SIZE) this.flush();
  }

  /** Adds a record of a keyed edge with the key group it was hashed to, which travels with it. */
  addKeyed(value: unknown, timestamp: number, keyGroup: number): void {
    (this.keyGroups ??= new Uint16Array(BATCH_SIZE))[this.values.length] = keyGroup;
    this.add(value, timestamp);
  }

  /** Sends the records batched so far. */
  flush(): void {
    if (this.values.length === 0) return;
    const values = this.values;
    this.values = [];
    try {
      this.writeBatch(values, this.hasTimestamps ? this.timestamps.subarray(0, values.length) : null, this.keyGroups?.subarray(0, values.length) ?? null);
    } catch (error) {
      throw tagged(this.producerNodeId, error);
    }
    this.hasTimestamps = false;
  }

  /** Sends a control frame after the records before it. */
  sendControl(frame: ControlFrame): void {
    this.flush();
    this.send(frame.kind, frame.payload);
  }

  private writeBatch(values: unknown[], timestamps: Float64Array | null, keyGroups: Uint16Array | null): void {
    const frame = this.encoder.encode(values, timestamps, values.length, keyGroups);
    if (frame.length <= this.ring.maxPayload) {
      this.send(FrameKind.DATA, frame);
      return;
    }
    if (values.length === 1) {
      throw new StreamError(
        'RECORD_NOT_ENCODABLE',
        `A record of ${frame.length} bytes does not fit in a channel (at most ${this.ring.maxPayload} bytes, half its ring). ` +
          'Split large payloads into smaller records, or store them outside the stream and send a reference; ' +
          'rings are larger (up to 512 KiB) when the job has fewer channels or more channel memory (env.setChannelMemory).',
      );
    }
    const half = values.length >>> 1;
    this.writeBatch(values.slice(0, half), timestamps?.subarray(0, half) ?? null, keyGroups?.subarray(0, half) ?? null);
    this.writeBatch(values.slice(half), timestamps?.subarray(half) ?? null, keyGroups?.subarray(half) ?? null);
  }

  private send(kind: number, payload: Uint8Array): void {
    if (this.queued.length === 0 && this.ring.tryWrite(kind, payload)) {
      this.bells.ring(this.consumerActor);
      return;
    }
    this.queued.push({ kind, payload: payload.slice() });
    this.backlog.add(this);
  }

  /** Writes queued frames while they fit; true when none is left. */
  tryDrain(): boolean {
    while (this.queued.length > 0) {
      const next = this.queued[0]!;
      if (!this.ring.tryWrite(next.kind, next.payload)) return false;
      this.queued.shift();
      this.bells.ring(this.consumerActor);
    }
    return true;
  }
}

/** Writes a producer subtask's records onto one network edge, choosing channels per record. */
export abstract class RecordWriter implements Downstream {
  constructor(protected readonly channels: readonly ChannelWriter[]) {}

  abstract collect(value: unknown, timestamp: number): void;

  emitWatermark(watermark: number): void {
    this.broadcastControl({ kind: 'watermark', timestamp: watermark });
  }

  emitWatermarkStatus(idle: boolean): void {
    this.broadcastControl({ kind: 'watermark-status', idle });
  }

  /** Sends a control element on every channel of the edge, after the records before it. */
  broadcastControl(element: ControlElement): void {
    const frame = encodeControl(element);
    for (const channel of this.channels) channel.sendControl(frame);
  }

  flush(): void {
    for (const channel of this.channels) channel.flush();
  }
}

class ForwardWriter extends RecordWriter {
  collect(value: unknown, timestamp: number): void {
    this.channels[0]!.add(value, timestamp);
  }
}

class RebalanceWriter extends RecordWriter {
  private next: number;

  constructor(channels: readonly ChannelWriter[], producerSubtask: number) {
    super(channels);
    this.next = producerSubtask % channels.length;
  }

  collect(value: unknown, timestamp: number): void {
    this.channels[this.next]!.add(value, timestamp);
    if (++this.next === this.channels.length) this.next = 0;
  }
}

class BroadcastWriter extends RecordWriter {
  collect(value: unknown, timestamp: number): void {
    for (const channel of this.channels) channel.add(value, timestamp);
  }
}

class HashWriter extends RecordWriter {
  /** Channel of every key group: key group g belongs to subtask floor(g * p / maxParallelism). */
  private readonly channelOfKeyGroup: Uint16Array;

  constructor(
    channels: readonly ChannelWriter[],
    private readonly keySelector: (value: unknown) => unknown,
    private readonly maxParallelism: number,
    private readonly where: string,
  ) {
    super(channels);
    this.channelOfKeyGroup = new Uint16Array(maxParallelism);
    for (let g = 0; g < maxParallelism; g++) {
      this.channelOfKeyGroup[g] = operatorIndexForKeyGroup(maxParallelism, channels.length, g);
    }
  }

  collect(value: unknown, timestamp: number): void {
    const group = keyGroupOf(this.keySelector(value), this.maxParallelism, this.where);
    this.channels[this.channelOfKeyGroup[group]!]!.addKeyed(value, timestamp, group);
  }
}

/**
 * Builds the writer for one edge. `channels` are ordered by consumer subtask; `where` names the
 * keyBy for error messages.
 */
export function createRecordWriter(
  kind: PartitionKind,
  channels: readonly ChannelWriter[],
  producerSubtask: number,
  keySelector: ((value: unknown) => unknown) | undefined,
  maxParallelism: number,
  where: string,
): RecordWriter {
  switch (kind) {
    case 'forward':
      return new ForwardWriter(channels);
    case 'rebalance':
      return new RebalanceWriter(channels, producerSubtask);
    case 'broadcast':
      return new BroadcastWriter(channels);
    case 'hash':
      return new HashWriter(channels, keySelector!, maxParallelism, where);
  }
}
