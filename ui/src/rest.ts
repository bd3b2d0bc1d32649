// The monitoring server's JSON types, read from the engine's source by type only (nothing of the
// engine is bundled): the one place the dashboard names that path.
export type * from '../../src/runtime/monitor/rest-types.js';
