// Word count: counts the words of a short text on every core (flatMap -> keyBy ->
// rolling sum), then prints the ten most frequent words. Run: node dist/examples/word-count.js

import { StreamExecutionEnvironment } from 'eddy';

const TEXT = `
Unlike Spark, which is traditionally micro-batch, Flink processes every event immediately: true streaming.
It maintains state in memory, allowing you to perform calculations over time.
Event time is the time the action actually happened; processing time is the time the event arrived.
Flink uses watermarks to handle data that arrives late or out of order.
Tumbling windows are fixed-size and do not overlap; sliding windows overlap; session windows group by activity.
Use Flink when every millisecond matters or when your logic depends on the history of the stream.
`;

const env = StreamExecutionEnvironment.getExecutionEnvironment();

const counts = await env
  .fromCollection(TEXT.trim().split('\n'))
  .flatMap<string>((line, out) => {
    for (const word of line.toLowerCase().split(/[^a-z-]+/)) if (word.length > 2) out.collect(word);
  })
  .name('Tokenizer')
  .map((word): [string, number] => [word, 1])
  .keyBy(([word]) => word)
  .sum(1)
  .name('Word Count')
  .executeAndCollect({ jobName: 'word-count' });

// The rolling sum emits every update; the highest count per word is its total.
const totals = new Map<string, number>();
for (const [word, n] of counts) totals.set(word, Math.max(totals.get(word) ?? 0, n));
const top = [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10);

console.log(`word-count at parallelism ${env.getParallelism()}: ${counts.length} updates, ${totals.size} distinct words`);
for (const [word, n] of top) console.log(`${String(n).padStart(4)}  ${word}`);
