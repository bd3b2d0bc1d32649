// KafkaSource: a parallel source reading Kafka topics (Flink's KafkaSource). Partitions are spread
// over the source subtasks by a fixed rule, their positions live in checkpoints (committed back
// to the consumer group only when a checkpoint completes), watermarks are generated per
// partition, and a bounded source stops at the offsets that were the latest when it started.

import type { Source, SourceReader, SourceReaderContext } from '../../core/source.js';
import { resolveKafkaSourceOptions, type KafkaSourceOptions, type ResolvedKafkaSourceOptions } from './kafka-source-options.js';
import { KafkaSourceReader, type KafkaPartitionSplit } from './kafka-source-reader.js';

/**
 * Reads Kafka topics into a stream: `env.fromSource(KafkaSource.create({...}), strategy, name)`.
 * Record timestamps are the Kafka timestamps; the watermark strategy runs per partition, and the
 * subtask's watermark is the minimum over its partitions (`withIdleness` leaves quiet ones out; a
 * subtask without partitions is idle). Only committed records of transactional producers are
 * read (read committed).
 */
export class KafkaSource<T> implements Source<T, KafkaPartitionSplit> {
  readonly boundedness: 'bounded' | 'continuous-unbounded';
  readonly watermarksPerSplit = true;

  private constructor(private readonly options: ResolvedKafkaSourceOptions<T>) {
    this.boundedness = options.bounded ? 'bounded' : 'continuous-unbounded';
  }

  /** A source for `options`, checked now: a bad option throws before the job runs. */
  static create<T>(options: KafkaSourceOptions<T>): KafkaSource<T> {
    return new KafkaSource(resolveKafkaSourceOptions(options));
  }

  createReader(ctx: SourceReaderContext<KafkaPartitionSplit>): SourceReader<T, KafkaPartitionSplit> {
    return new KafkaSourceReader(this.options, ctx);
  }
}
