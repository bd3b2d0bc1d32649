// Micro benchmarks of channels in one thread: ring tryWrite + tryRead per frame size, record
// batch encode + decode per batch size beside plain msgpackr pack + unpack of the same array, and
// the choice of values encoding: msgpack as the channel had it, msgpackr's tuned options, and the
// column encoding, per record type and batch size.
// Run alone: `node dist/bench/micro/channels.bench.js`; `npm run bench -- micro` runs it with the rest.

import { pathToFileURL } from 'node:url';
import { Buffer } from 'node:buffer';
import { Packr, Unpackr } from 'msgpackr';
import { Bench } from 'tinybench';
import { BatchDecoder, BatchEncoder } from '../../src/actors/channels/batch-codec.js';
import { FrameKind } from '../../src/actors/channels/frame-kinds.js';
import { RingBuffer } from '../../src/actors/channels/ring-buffer.js';
import { MSGPACK_OPTIONS } from '../../src/core/msgpack-options.js';
import { formatRate } from '../utils/stats.js';

/** Frames through the ring per invocation of a ring task. */
const FRAMES = 256;
/** Records encoded and decoded per invocation of a codec task, whatever the batch size. */
const RECORDS = 4096;
const RING_CAPACITY = 1 << 20;

/** One benchmark's figures, per frame (ring tasks) or per record (codec tasks). */
export interface ChannelsBenchRow {
  task: string;
  unit: 'frame' | 'record';
  perSecond: number;
  nsPer: number;
  /** Payload bytes moved per second (ring tasks); encoded batch bytes per second (codec tasks). */
  megabytesPerSecond: number;
  /** Relative margin of error of the mean, in percent. */
  rmePercent: number;
  samples: number;
}

interface Case {
  name: string;
  unit: 'frame' | 'record';
  /** Units per invocation. */
  units: number;
  /** Bytes per unit, for the MB/s column. */
  bytesPer: number;
  fn: () => void;
}

function ringCase(payloadBytes: number): Case {
  const ring = new RingBuffer(RingBuffer.allocate(RING_CAPACITY));
  const payload = new Uint8Array(payloadBytes).fill(7);
  return {
    name: `ring tryWrite + tryRead, ${payloadBytes >= 1024 ? `${payloadBytes / 1024} KiB` : `${payloadBytes} B`} frames`,
    unit: 'frame',
    units: FRAMES,
    bytesPer: payloadBytes,
    fn: () => {
      for (let i = 0; i < FRAMES; i++) {
        if (!ring.tryWrite(FrameKind.DATA, payload)) throw new Error('ring full');
        if (ring.tryRead()!.payload.length !== payloadBytes) throw new Error('wrong frame');
        ring.release();
      }
    },
  };
}

function records(count: number): { key: string; value: number }[] {
  return Array.from({ length: count }, (_, i) => ({ key: `key-${i % 1000}`, value: i * 1.5 }));
}

/** Batch encode + decode cases for one batch size: the channel path and its msgpackr baseline. */
function codecCases(batchSize: number): Case[] {
  const batch = records(batchSize);
  const timestamps = Float64Array.from(batch, (_, i) => 1_700_000_000_000 + i);
  const batches = RECORDS / batchSize;
  const encoder = new BatchEncoder();
  const decoder = new BatchDecoder();
  const packr = new Packr({ useBigIntExtension: true, moreTypes: true });
  const ring = new RingBuffer(RingBuffer.allocate(RING_CAPACITY));
  // A frame left unreleased in a second ring: the decode-only tasks read it again and again.
  const held = new RingBuffer(RingBuffer.allocate(RING_CAPACITY));
  held.tryWrite(FrameKind.DATA, encoder.encode(batch, timestamps, batchSize));
  const frame = held.tryRead()!.payload;
  // The alternative BatchDecoder rejects for msgpack: msgpackr straight on the ring's memory, no
  // copy (of a msgpack frame, held unreleased in a third ring).
  const direct = new Unpackr({ useBigIntExtension: true, moreTypes: true, copyBuffers: true });
  const heldMsgpack = new RingBuffer(RingBuffer.allocate(RING_CAPACITY));
  heldMsgpack.tryWrite(FrameKind.DATA, packr.pack(batch));
  const msgpackFrame = heldMsgpack.tryRead()!.payload;
  const msgpackInRing = Buffer.from(msgpackFrame.buffer, msgpackFrame.byteOffset, msgpackFrame.length);
  const check = (values: unknown[]): void => {
    if (values.length !== batchSize) throw new Error('wrong batch');
  };
  const bytesPer = frame.length / batchSize;
  const tasks: [string, () => void][] = [
    ['msgpackr pack + unpack (baseline)', () => check(packr.unpack(packr.pack(batch)) as unknown[])],
    ['BatchEncoder + BatchDecoder', () => check(decoder.decode(encoder.encode(batch, timestamps, batchSize)).values)],
    [
      'BatchEncoder -> ring -> BatchDecoder',
      () => {
        ring.tryWrite(FrameKind.DATA, encoder.encode(batch, timestamps, batchSize));
        check(decoder.decode(ring.tryRead()!.payload).values);
        ring.release();
      },
    ],
    ['BatchEncoder only', () => encoder.encode(batch, timestamps, batchSize)],
    ['BatchDecoder only (copies out of the ring)', () => check(decoder.decode(frame).values)],
    ['msgpackr unpack straight from the ring (no copy)', () => check(direct.unpack(msgpackInRing) as unknown[])],
  ];
  return tasks.map(([name, step]) => ({
    name: `${name}, batches of ${batchSize}`,
    unit: 'record',
    units: RECORDS,
    bytesPer,
    fn: () => {
      for (let i = 0; i < batches; i++) step();
    },
  }));
}

/** Record types for the choice of values encoding, by name. */
const RECORD_TYPES: Record<string, (i: number) => unknown> = {
  '{ key: number, value: number }': (i) => ({ key: i % 1000, value: i * 1.5 }),
  '{ key: string, value: number }': (i) => ({ key: `key-${i % 1000}`, value: i * 1.5 }),
  'Nexmark bid': (i) => ({
    auction: 1000 + (i % 97),
    bidder: 2000 + ((i * 7) % 1013),
    price: 100 + ((i * 13) % 10_000),
    channel: ['Google', 'Facebook', 'Baidu', 'Apple'][i % 4],
    url: `https://www.nexmark.com/item.htm?query=1&channel_id=${(i * 31) % 10_000}`,
    dateTime: 1_700_000_000_000 + i,
    extra: '',
  }),
  '[string, number]': (i) => [`key-${i % 1000}`, i * 1.5],
};

/** msgpackr encode + decode, with the channel's copy out of the ring into a scratch Buffer. */
function msgpackTask(options: ConstructorParameters<typeof Packr>[0], batch: unknown[]): () => void {
  const packr = new Packr({ ...MSGPACK_OPTIONS, ...options });
  const unpackr = new Unpackr({ ...MSGPACK_OPTIONS, copyBuffers: true, ...options });
  const scratch = Buffer.allocUnsafeSlow(1 << 20);
  return () => {
    const packed = packr.pack(batch);
    scratch.set(packed);
    if ((unpackr.unpack(scratch, { end: packed.length }) as unknown[]).length !== batch.length) throw new Error('wrong batch');
  };
}

/**
 * Values encode + decode per record type and batch size: every option keeps batches
 * self-contained (no structures shared between encoder and decoder).
 */
function encodingChoiceCases(type: string, batchSize: number): Case[] {
  const batch = Array.from({ length: batchSize }, (_, i) => RECORD_TYPES[type]!(i));
  const encoder = new BatchEncoder();
  const decoder = new BatchDecoder();
  const bytesPer = encoder.encode(batch, null, batchSize).length / batchSize;
  const tasks: [string, () => void][] = [
    ['msgpack, records extension (channel before columns)', msgpackTask({}, batch)],
    ['msgpack, maps (useRecords: false)', msgpackTask({ useRecords: false }, batch)],
    ['msgpack, records, sequential', msgpackTask({ sequential: true }, batch)],
    ['msgpack, records, bundleStrings', msgpackTask({ bundleStrings: true }, batch)],
    [
      'BatchEncoder + BatchDecoder (columns)',
      () => {
        if (decoder.decode(encoder.encode(batch, null, batchSize)).values.length !== batchSize) throw new Error('wrong batch');
      },
    ],
  ];
  return tasks.map(([name, step]) => ({
    name: `${type}: ${name}, batches of ${batchSize}`,
    unit: 'record',
    units: RECORDS,
    bytesPer,
    fn: () => {
      for (let i = 0; i < RECORDS / batchSize; i++) step();
    },
  }));
}

/** Runs the tasks and returns their figures per frame or per record. */
export async function run(options: { timeMs?: number } = {}): Promise<ChannelsBenchRow[]> {
  const cases = [
    ringCase(64),
    ringCase(1024),
    ringCase(16 * 1024),
    ...[64, 256, 1024].flatMap(codecCases),
    ...Object.keys(RECORD_TYPES).flatMap((type) => [64, 256, 1024].flatMap((size) => encodingChoiceCases(type, size))),
  ];
  const bench = new Bench({ time: options.timeMs ?? 200, warmupTime: 50 });
  for (const c of cases) bench.add(c.name, c.fn);
  await bench.run();
  return bench.tasks.map((task, i) => {
    const c = cases[i]!;
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`Benchmark "${task.name}" did not complete: ${result.state}`);
    const secondsPer = result.latency.mean / 1000 / c.units;
    return {
      task: c.name,
      unit: c.unit,
      perSecond: 1 / secondsPer,
      nsPer: secondsPer * 1e9,
      megabytesPerSecond: c.bytesPer / secondsPer / 1e6,
      rmePercent: result.latency.rme,
      samples: result.latency.samplesCount,
    };
  });
}

/** The results as a markdown table, for bench/RESULTS.md. */
export async function channelsBench(): Promise<string> {
  const rows = await run();
  const lines = [
    `Channels in one thread (tinybench): ring tasks move ${FRAMES} frames per invocation, codec tasks ` +
      `${RECORDS} records (of \`{ key: string, value: number }\` with timestamps unless named); rates of the mean.`,
    '',
    '| task | per second | ns each | MB/s | ± % |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.task} | ${formatRate(r.perSecond)} ${r.unit}s | ${r.nsPer.toFixed(1)} | ` +
        `${r.megabytesPerSecond.toFixed(0)} | ${r.rmePercent.toFixed(1)} |`,
    ),
  ];
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await run());
}
