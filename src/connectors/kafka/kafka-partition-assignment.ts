// Which source subtask reads a Kafka partition: every reader computes it alone from the topic name
// and the partition number, so that no coordinator is needed and each partition has one reader
// (Flink's KafkaSourceEnumerator rule: a topic's partitions start at a subtask given by the hash
// of its name and go round the subtasks from there).

/** Java's String.hashCode, as Flink hashes topic names. */
function javaHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/** The subtask of `parallelism` that reads `partition` of `topic`. */
export function partitionOwner(topic: string, partition: number, parallelism: number): number {
  const start = ((Math.imul(javaHashCode(topic), 31) & 0x7fffffff) % parallelism);
  return (start + partition) % parallelism;
}
