// One read-only view of an XML element, so that the strict reader (rss-parser's xml2js tree) and the
// lenient reader (cheerio in XML mode) feed the same mapping code and give items with the same fields.
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

export interface XNode {
  /** Qualified name as written, for example `dc:creator`. */
  readonly name: string;
  attr(name: string): string | undefined;
  /** Text content with entities decoded and CDATA included. */
  text(): string;
  /** Inner markup, for content given as markup (Atom xhtml, unescaped HTML in RSS). */
  markup(): string;
  /** True when the element has child elements, not only text. */
  hasElements(): boolean;
  children(name: string): readonly XNode[];
}

/** The parts of a feed document that mapping reads: the feed (or RSS channel) and its items. */
export interface FeedTree {
  readonly feed: XNode;
  readonly items: readonly XNode[];
}

/** XNode over a cheerio element (XML mode). */
export function cheerioNode($: CheerioAPI, el: Element): XNode {
  return {
    name: el.name,
    attr: (name) => el.attribs[name],
    text: () => $(el).text(),
    markup: () => xmlToHtmlMarkup($(el).html() ?? ''),
    hasElements: () => el.children.some(isElement),
    children: (name) =>
      el.children.filter((c): c is Element => isElement(c) && c.name === name).map((c) => cheerioNode($, c)),
  };
}

/** HTML void elements: the only ones that may stay self-closing once XML markup is read as HTML. */
export const HTML_VOID_ELEMENTS: ReadonlySet<string> = new Set(
  'area base br col embed hr img input link meta param source track wbr'.split(' '),
);

/**
 * Makes serialized XML safe to read as HTML: `<a/>` would open a link that swallows the rest of the
 * content, a CDATA section would become a comment, and `</br>` a second break: all are rewritten.
 */
export function xmlToHtmlMarkup(xml: string): string {
  return (
    xml
      .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, text: string) =>
        text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
      )
      .replace(/<([A-Za-z][\w:.-]*)(\s[^<>]*?)?\s*\/>/g, (whole, name: string, attrs = '') =>
        HTML_VOID_ELEMENTS.has(name.toLowerCase()) ? whole : `<${name}${attrs}></${name}>`,
      )
      // An unclosed <br> in a lenient read holds the text after it; HTML reads </br> as another <br>.
      .replace(/<\/([A-Za-z]+)\s*>/g, (whole, name: string) =>
        HTML_VOID_ELEMENTS.has(name.toLowerCase()) ? '' : whole,
      )
  );
}

export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** The first child element called `name`, following a path of [name, index] steps. */
export function walk(root: XNode, path: readonly (readonly [string, number])[]): XNode | undefined {
  let node: XNode | undefined = root;
  for (const [name, index] of path) node = node?.children(name)[index];
  return node;
}
