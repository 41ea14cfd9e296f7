/**
 * Writing fields back as one CSV record, used to store the raw text of a rejected row.
 */

/** Encodes `fields` as one CSV record (no line break), quoting fields that need it. */
export function formatCsvRecord(fields: readonly string[], delimiter = ',', quote = '"'): string {
  return fields.map((f) => formatCsvField(f, delimiter, quote)).join(delimiter);
}

/** Encodes one field, quoting it when it holds the delimiter, the quote or a line break. */
export function formatCsvField(field: string, delimiter = ',', quote = '"'): string {
  const needsQuotes =
    field.includes(delimiter) || field.includes(quote) || field.includes('\n') || field.includes('\r');
  return needsQuotes ? quote + field.split(quote).join(quote + quote) + quote : field;
}

/** Counts line breaks in `s`, treating CRLF as one. */
export function countLineBreaks(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  for (let i = s.indexOf('\r'); i !== -1; i = s.indexOf('\r', i + 1)) if (s.charCodeAt(i + 1) !== 10) n++;
  return n;
}
