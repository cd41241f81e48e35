/**
 * A result already serialized, such as a page of read-model documents stored as the API shows
 * them: it goes into the reply as it is, not decoded and encoded again. `T` is what it holds; the
 * text comes as bytes (UTF-8) when it was read as bytes.
 */
export class RawJson<T = unknown> {
  declare readonly holds?: T;
  constructor(readonly json: string | Buffer) {}
}
