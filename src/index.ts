// The public surface of eddy: everything a job imports. Nothing internal is exported here.

export { StreamExecutionEnvironment } from './api/environment.js';
export { DataStream } from './api/data-stream.js';
export { KeyedStream } from './api/keyed-stream.js';
export { PushStream, KeyedPushStream, RequestStream, KeyedRequestStream, type PushSourceOptions } from './api/embedding-streams.js';
export type { FieldRef } from './operators/keyed-aggregations.js';
export { defineJob, runJob, type JobDefinition, type RunJobOptions } from './api/job.js';
export {
  ProcessFunction,
  KeyedProcessFunction,
  type Collector,
  type ProcessContext,
  type KeyedContext,
  type OnTimerContext,
  type TimerService,
  type RuntimeContext,
} from './core/functions.js';
export {
  CoProcessFunction,
  KeyedCoProcessFunction,
  type ProcessJoinFunction,
  type ProcessJoinContext,
} from './core/co-functions.js';
export { ConnectedStreams, IntervalJoin, IntervalJoined } from './api/connected-streams.js';
export { OutputTag } from './core/output-tag.js';
export {
  WindowedStream,
  AllWindowedStream,
  type WindowReduceOptions,
  type ProcessAllWindowFunction,
} from './api/windowed-stream.js';
export { CoGroupedStreams, JoinedStreams, WindowCoGroupSpec, WindowJoinSpec, type CoGroupFunction } from './api/joined-streams.js';
export { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from './operators/windows/assigners/tumbling.js';
export { SlidingEventTimeWindows, SlidingProcessingTimeWindows } from './operators/windows/assigners/sliding.js';
export { EventTimeSessionWindows, ProcessingTimeSessionWindows, type SessionGapExtractor } from './operators/windows/assigners/session.js';
export { GlobalWindows } from './operators/windows/assigners/global.js';
export {
  TimeWindow,
  GlobalWindow,
  getWindowStartWithOffset,
  timeWindowNamespaces,
  fixedSizeWindowNamespaces,
  globalWindowNamespaces,
  type Window,
  type WindowNamespaces,
} from './operators/windows/time-window.js';
export { mergeTimeWindows, type WindowAssigner, type WindowAssignerContext, type MergingWindowAssigner } from './operators/windows/window-assigner.js';
export { CountTrigger } from './operators/windows/triggers/count-trigger.js';
export { EventTimeTrigger } from './operators/windows/triggers/event-time-trigger.js';
export { ProcessingTimeTrigger } from './operators/windows/triggers/processing-time-trigger.js';
export { PurgingTrigger } from './operators/windows/triggers/purging-trigger.js';
export type { Trigger, TriggerContext, OnMergeContext, TriggerResult } from './operators/windows/triggers/trigger.js';
export type { ProcessWindowFunction, ProcessWindowContext } from './operators/windows/window-functions.js';
export { Time } from './api/time.js';
export {
  WatermarkStrategy,
  type WatermarkGenerator,
  type WatermarkOutput,
  type TimestampAssigner,
} from './time/watermark-strategy.js';
export {
  StateDescriptor,
  ValueStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  AggregatingStateDescriptor,
  type AggregateFunction,
  type StateKind,
  type TtlConfig,
  type TtlUpdateType,
} from './core/state-descriptors.js';
export type { State, ValueState, ListState, MapState, ReducingState, AggregatingState, Namespace } from './core/state.js';
export type { Sink, SinkWriter, SinkWriterContext, SinkInitContext, Committer } from './core/sink.js';
export { TwoPhaseCommitSink } from './core/two-phase-commit-sink.js';
export { FileSink, type FileSinkTransaction } from './connectors/file-sink.js';
export type { Source, SourceReader, SourceReaderContext, ReaderOutput, InputStatus } from './core/source.js';
export type { JobSettings } from './core/job-plan.js';
export type { LogLevel } from './core/log-levels.js';
export { KafkaSource } from './connectors/kafka/kafka-source.js';
export { KafkaSink, type KafkaSinkOptions, type DeliveryGuarantee, type KafkaSinkTransaction } from './connectors/kafka/kafka-sink.js';
export type { KafkaSourceOptions, KafkaStartingOffsets, KafkaDeserializationErrorPolicy } from './connectors/kafka/kafka-source-options.js';
export type { KafkaPartitionSplit } from './connectors/kafka/kafka-source-reader.js';
export type { KafkaRecord, KafkaBytes, KafkaDeserializer } from './connectors/kafka/kafka-record.js';
export type { JobClient, JobExecutionResult, OperatorMetrics } from './runtime/job-client.js';
export type { ChannelMemory } from './runtime/channel-memory.js';
export type { CheckpointStats } from './runtime/checkpoint-stats.js';
export { registerEddyMetrics } from './runtime/monitor/prometheus-metrics.js';
export type { WebUIOptions } from './runtime/monitor/web-ui-options.js';
export type {
  JobState,
  JobSummary,
  JobsOverview,
  JobDetails,
  VertexSummary,
  VertexEdge,
  OperatorInfo,
  TaskMetrics,
  VertexDetails,
  SubtaskDetails,
  OperatorSubtaskMetrics,
  CheckpointsInfo,
  CheckpointEntry,
  ExceptionsInfo,
  ExceptionEntry,
  JobEvent,
} from './runtime/monitor/rest-types.js';
export type { CheckpointingOptions, CheckpointConfig, RestartStrategy } from './checkpoint/checkpoint-config.js';
export type { CheckpointingMode } from './checkpoint/barrier-aligner.js';
export type { CheckpointKind } from './checkpoint/checkpoint-metadata.js';
export type { Key } from './core/key-groups.js';
export { createHarness, OperatorHarness, type HarnessOptions, type HarnessRecord, type HarnessEvent, type HarnessSnapshot } from './testing/harness.js';
export { StreamError, ERROR_CODES, type ErrorCode, type ErrorDomain, type StreamErrorOptions } from './core/errors.js';
