/** A compiled sub-expression: its static type and the closure that evaluates it over a row. */
import type { FieldValue } from '../columns/columns';
import type { StaticType } from './types';

export type Row = readonly FieldValue[];

export interface Compiled {
  readonly type: StaticType;
  readonly fn: (row: Row) => unknown;
  /** The literal text when this is a string literal (lets `at > '2024-01-01'` parse the date once). */
  readonly literal?: string;
}
