/**
 * Text made safe for XML and HTML. A verdict can carry anything a learner's server printed (an
 * excerpt of its stderr, colour codes included), and XML 1.0 forbids most control characters even
 * when escaped: they are dropped, then the five markup characters are escaped.
 */

/** Characters XML 1.0 does not allow anywhere (C0 controls but tab, LF, CR; lone surrogates; U+FFFE/F). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** ANSI colour and cursor sequences (ESC [ ... letter), removed whole rather than leaving "[31m". */
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** Escape for element text and attribute values alike (both quote kinds are escaped). */
export function escapeMarkup(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Escape for an attribute value that must keep its line breaks (XML normalises a raw newline to a space). */
export function escapeAttribute(text: string): string {
  return escapeMarkup(text).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
