// The public surface of eddy: everything a job imports. Nothing internal is exported here.

export { StreamExecutionEnvironment, type JobDefinition } from './api/environment.js';
export { DataStream, KeyedStream } from './api/data-stream.js';
export { defineJob, runJob, type RunJobOptions } from './api/job.js';
export {
  ProcessFunction,
  KeyedProcessFunction,
  type Collector,
  type ProcessContext,
  type KeyedContext,
  type OnTimerContext,
  type TimerService,
  type RuntimeContext,
} from './api/functions.js';
export {
  CoProcessFunction,
  KeyedCoProcessFunction,
  type ProcessJoinFunction,
  type ProcessJoinContext,
} from './api/co-functions.js';
export { ConnectedStreams, IntervalJoin, IntervalJoined } from './api/connected-streams.js';
export { OutputTag } from './api/output-tag.js';
export { Time } from './api/time.js';
export {
  WatermarkStrategy,
  type WatermarkGenerator,
  type WatermarkOutput,
  type TimestampAssigner,
} from './time/watermark-strategy.js';
export {
  ValueStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  AggregatingStateDescriptor,
  type AggregateFunction,
  type ValueState,
  type ListState,
  type MapState,
  type ReducingState,
  type AggregatingState,
  type TtlConfig,
} from './state/keyed-state-backend.js';
export type { Sink, SinkWriter, SinkWriterContext, SinkInitContext } from './api/sink.js';
export type { Source, SourceReader, SourceReaderContext, ReaderOutput, InputStatus } from './api/source.js';
export type { JobClient, JobExecutionResult, OperatorMetrics } from './actors/job-master.js';
export type { Key } from './graph/key-groups.js';
export { createHarness, OperatorHarness, type HarnessOptions, type HarnessRecord, type HarnessEvent } from './testing/harness.js';
export { StreamError, ERROR_CODES, type ErrorCode, type ErrorDomain } from './errors.js';
