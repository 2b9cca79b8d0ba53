// Escaping for the formats we write by hand (Atom, HTML, OPML). One place, so every writer agrees.

import { escapeText } from '../util/text.js';

export { escapeText };

/**
 * A double-quoted attribute value in XML or HTML. Tab, LF and CR become character references
 * because XML attribute-value normalization (XML 1.0 §3.3.3) would otherwise turn them into spaces.
 */
export function escapeAttr(s: string): string {
  return escapeText(s)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
