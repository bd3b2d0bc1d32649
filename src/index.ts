// The public surface of eddy: everything a job imports. Nothing internal is exported here.

export { StreamExecutionEnvironment, type JobDefinition } from './api/environment.js';
export { DataStream, KeyedStream } from './api/data-stream.js';
export { defineJob, runJob, type RunJobOptions } from './api/job.js';
export { ProcessFunction, type Collector, type ProcessContext, type RuntimeContext } from './api/functions.js';
export type { Sink, SinkWriter, SinkWriterContext, SinkInitContext } from './api/sink.js';
export type { Source, SourceReader, SourceReaderContext, ReaderOutput, InputStatus } from './api/source.js';
export type { JobClient, JobExecutionResult, OperatorMetrics } from './actors/job-master.js';
export type { Key } from './graph/key-groups.js';
export { StreamError, ERROR_CODES, type ErrorCode, type ErrorDomain } from './errors.js';
