// The file piscina loads in each worker thread: CommonJS on purpose. piscina require()s its
// worker file and falls back to import(); on Node 20.19+ require() also loads ES modules, and an
// ES module that failed half-way through require() and is then imported kills the worker with
// "Unexpected status of a module that is imported again after being required", hiding the real
// error (seen in tests). A CommonJS file is required cleanly and imports the ES-module entry itself.

export = async function runThread(task: unknown): Promise<unknown> {
  const entry = (await import('./worker-entry.js')) as { default: (task: unknown) => Promise<unknown> };
  return entry.default(task);
};
