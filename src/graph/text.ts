/** Text helpers of the renderers: clipping for labels, escaping for each format. Pure. */

/** The first line of `s`, at most `n` characters (an ellipsis marks a cut). */
export const clip = (s: string, n: number): string => {
  const line = s.split('\n')[0] ?? '';
  return line.length > n ? `${line.slice(0, n - 1)}…` : line;
};

// Characters XML 1.0 does not allow at all, even escaped (an error message may carry them).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text or an attribute value inside SVG. */
export const escapeXml = (s: string): string =>
  s
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** A quoted DOT string (ID or label): backslashes and quotes escaped, line breaks as `\n`. */
export const quoteDot = (s: string): string =>
  `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;

/**
 * Text inside a quoted Mermaid label. Mermaid reads `#name;` and `#code;` as entities and may read HTML, so `#`
 * goes first, then quotes, angle brackets, ampersands and backticks (which would start a markdown string).
 */
export const escapeMermaid = (s: string): string =>
  s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/&/g, '#amp;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;');
