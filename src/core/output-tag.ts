// OutputTag: names a side output, a second stream an operator may emit to besides its main one
// (late window data, alerts next to results). Tags with equal ids are the same side output.

export class OutputTag<T> {
  /** Only in the type: what the side output carries. */
  declare readonly __type?: T;

  constructor(readonly id: string) {
    if (typeof id !== 'string' || id === '') {
      throw new TypeError('new OutputTag(id) needs a non-empty string id, e.g. new OutputTag<Event>("late-events").');
    }
  }
}
