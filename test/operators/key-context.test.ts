// The keyed operator's key context: a record's key group comes from its sender when it came with
// one (taken once, not hashed again), is hashed here otherwise, and the first received group and
// one in 1024 after it are hashed again, so a key selector that differs between threads fails.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyGroupFor } from '../../src/core/key-groups.js';
import type { OperatorContext, ReceivedKeyGroup } from '../../src/core/operator.js';
import { KeyContext } from '../../src/operators/key-context.js';
import { MAX_PARALLELISM, newBackend } from '../state/backend-helpers.js';

function keyContext(received: ReceivedKeyGroup): { keys: KeyContext; currentGroup: () => number } {
  const backend = newBackend();
  const ctx = {
    operatorName: 'Sums',
    subtask: 0,
    parallelism: 1,
    maxParallelism: MAX_PARALLELISM,
    keySelector: (r: unknown) => (r as { key: string }).key,
    keySelector2: undefined,
    receivedKeyGroup: received,
    keyedState: backend,
  } as unknown as OperatorContext;
  return { keys: new KeyContext(ctx), currentGroup: () => backend.getCurrentKeyGroup() };
}

test('a record without a received key group is hashed here', () => {
  const received = { value: -1 };
  const { keys, currentGroup } = keyContext(received);
  keys.setCurrentKeyOf({ key: 'a' });
  assert.equal(currentGroup(), keyGroupFor('a', MAX_PARALLELISM));
  assert.equal(keys.currentKey(), 'a');
});

test('a received key group is taken once, without hashing, after the first record was checked', () => {
  const received = { value: keyGroupFor('a', MAX_PARALLELISM) };
  const { keys, currentGroup } = keyContext(received);
  keys.setCurrentKeyOf({ key: 'a' }); // checked: agrees
  assert.equal(received.value, -1, 'taken');
  // The next 1023 received groups are trusted as sent: a deliberately different (owned) group shows it.
  const other = (keyGroupFor('b', MAX_PARALLELISM) + 1) % MAX_PARALLELISM;
  for (let i = 0; i < 1023; i++) {
    received.value = other;
    keys.setCurrentKeyOf({ key: 'b' });
    assert.equal(currentGroup(), other);
  }
  // The 1025th record is hashed again, and the disagreement fails it.
  received.value = other;
  assert.throws(
    () => keys.setCurrentKeyOf({ key: 'b' }),
    (error: Error & { code?: string }) => error.code === 'INCONSISTENT_KEY' && /the key selector gave the record another key in the worker thread that sent it/.test(error.message),
  );
});

test('a first received key group that disagrees with the key fails at once', () => {
  const received = { value: (keyGroupFor('a', MAX_PARALLELISM) + 1) % MAX_PARALLELISM };
  const { keys } = keyContext(received);
  assert.throws(() => keys.setCurrentKeyOf({ key: 'a' }), { code: 'INCONSISTENT_KEY' });
});
