/**
 * A result already serialized, such as a page of read-model documents stored as the API shows
 * them: it goes into the reply as it is, not decoded and encoded again. `T` is what it holds.
 */
export class RawJson<T = unknown> {
  declare readonly holds?: T;
  constructor(readonly json: string) {}
}
