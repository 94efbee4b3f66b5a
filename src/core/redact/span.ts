/** A half-open range of the input to replace, and the kind of secret it held. */
export interface Span {
  start: number;
  end: number;
  kind: string;
}
