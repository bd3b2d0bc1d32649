// The msgpack (msgpackr) options every encoding of user values shares, so a value that crosses a
// channel also fits a checkpoint: bigints of any size and the extra types (Map, Set, typed arrays).

/** Options for msgpackr's Packr and Unpackr. */
export const MSGPACK_OPTIONS = { useBigIntExtension: true, moreTypes: true } as const;
