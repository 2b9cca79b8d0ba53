// The browser view of feed.xml and atom.xml: an XSLT 1.0 stylesheet the browser applies when a person
// opens a feed, so they see a readable page that says how to subscribe instead of raw XML. Feed
// readers ignore the <?xml-stylesheet?> processing instruction (XML 1.0 §2.6: PIs are for the
// application that asks for them), so the feed itself is unchanged for them.
//
// Written once per output folder beside its feeds, referenced as plain `feed.xsl`: the href is then
// the same at every depth, a folder copied elsewhere keeps working, and browsers only apply a
// same-origin stylesheet, which a relative href always is.
//
// Rules the stylesheet keeps: no script, no disable-output-escaping (every string goes out through
// the serializer's escaping), links only to http(s) URLs, and no external resource of any kind.
import { escapeText } from './escape.js';
import { PAGE_STYLE } from './html.js';

export const XSL_FILE = 'feed.xsl';
/** text/xsl: the type Chromium requires of an xml-stylesheet; Firefox and WebKit accept it too. */
export const XSL_CONTENT_TYPE = 'text/xsl; charset=utf-8';

/** The page's own additions to index.html's style: the subscribe box. */
const FEED_VIEW_STYLE = `
.subscribe { margin: 1rem 0; padding: .75rem 1rem; border: 1px solid var(--rule); border-radius: 6px; }
.subscribe h2 { margin: 0 0 .25rem; font-size: 1.1rem; }
.subscribe input { width: 100%; font: inherit; font-size: .95rem; padding: .35rem .5rem; color: var(--fg);
  background: var(--bg); border: 1px solid var(--rule); border-radius: 4px; }
`.trim();

/** The processing instruction that points a browser at the stylesheet beside the feed. */
export const STYLESHEET_PI = `<?xml-stylesheet type="text/xsl" href="${XSL_FILE}"?>`;

/**
 * `xml` with the xml-stylesheet processing instruction right after its XML declaration (a PI may not
 * come before the declaration, XML 1.0 §2.8), or first when there is no declaration.
 *
 * @example
 * withStylesheet('<?xml version="1.0"?>\n<rss/>') // '<?xml version="1.0"?>\n<?xml-stylesheet …?>\n<rss/>'
 */
export function withStylesheet(xml: string): string {
  const decl = /^<\?xml\s[^?]*\?>/.exec(xml);
  if (!decl) return `${STYLESHEET_PI}\n${xml}`;
  return `${decl[0]}\n${STYLESHEET_PI}${xml.slice(decl[0].length)}`;
}

/** The stylesheet. Constant: one output's feed.xsl is byte-identical to every other's. */
export function renderXsl(): string {
  return XSL;
}

const XSL = `<?xml version="1.0" encoding="utf-8"?>
<!-- Shows this feed as a page when opened in a browser. Feed readers ignore this file. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="no" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:apply-templates select="rss/channel | atom:feed"/>
  </xsl:template>

  <xsl:template match="channel">
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="string(title)"/>
      <xsl:with-param name="description" select="string(description)"/>
      <xsl:with-param name="home" select="string(link)"/>
      <xsl:with-param name="self" select="string(atom:link[@rel = 'self']/@href)"/>
      <xsl:with-param name="lang" select="string(language)"/>
      <xsl:with-param name="format" select="'RSS'"/>
      <xsl:with-param name="entries" select="item"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="atom:feed">
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="string(atom:title)"/>
      <xsl:with-param name="description" select="string(atom:subtitle)"/>
      <xsl:with-param name="home" select="string(atom:link[@rel = 'alternate' and (not(@type) or @type = 'text/html')]/@href)"/>
      <xsl:with-param name="self" select="string(atom:link[@rel = 'self']/@href)"/>
      <xsl:with-param name="lang" select="string(@xml:lang)"/>
      <xsl:with-param name="format" select="'Atom'"/>
      <xsl:with-param name="entries" select="atom:entry"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="page">
    <xsl:param name="title"/>
    <xsl:param name="description"/>
    <xsl:param name="home"/>
    <xsl:param name="self"/>
    <xsl:param name="lang"/>
    <xsl:param name="format"/>
    <xsl:param name="entries"/>
    <html>
      <xsl:attribute name="lang">
        <xsl:choose>
          <xsl:when test="$lang != ''"><xsl:value-of select="$lang"/></xsl:when>
          <xsl:otherwise>en</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <head>
        <!-- No <meta charset>: the html output method writes its own Content-Type meta. -->
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (<xsl:value-of select="$format"/> feed)</title>
        <style>${escapeText(`${PAGE_STYLE}\n${FEED_VIEW_STYLE}`)}</style>
      </head>
      <body>
        <header>
          <h1><xsl:value-of select="$title"/></h1>
          <xsl:if test="$description != ''">
            <p class="muted"><xsl:value-of select="$description"/></p>
          </xsl:if>
          <section class="subscribe" aria-labelledby="subscribe">
            <h2 id="subscribe">This is a web feed</h2>
            <p>Copy its URL into your feed reader to subscribe and get every new entry there.</p>
            <xsl:choose>
              <xsl:when test="starts-with($self, 'https://') or starts-with($self, 'http://')">
                <p><input type="text" readonly="readonly" aria-label="Feed URL" value="{$self}"/></p>
              </xsl:when>
              <xsl:otherwise>
                <p>Its URL is the address of this page, in your browser's address bar.</p>
              </xsl:otherwise>
            </xsl:choose>
            <xsl:if test="starts-with($home, 'https://') or starts-with($home, 'http://')">
              <p><a href="{$home}">Visit the website</a></p>
            </xsl:if>
          </section>
        </header>
        <main>
          <xsl:if test="not($entries)">
            <p class="muted">Nothing here yet.</p>
          </xsl:if>
          <xsl:apply-templates select="$entries"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <xsl:call-template name="entry">
      <xsl:with-param name="title" select="string(title)"/>
      <xsl:with-param name="link" select="string(link)"/>
      <xsl:with-param name="date" select="string(pubDate)"/>
      <xsl:with-param name="iso" select="''"/>
      <!-- RSS description is HTML; ours is plain text escaped once. Undo that escaping; never emit markup. -->
      <xsl:with-param name="summary">
        <xsl:call-template name="unescape">
          <xsl:with-param name="s" select="string(description)"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:variable name="when">
      <xsl:choose>
        <xsl:when test="atom:published"><xsl:value-of select="atom:published"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="atom:updated"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:call-template name="entry">
      <xsl:with-param name="title" select="string(atom:title)"/>
      <xsl:with-param name="link" select="string(atom:link[not(@rel) or @rel = 'alternate']/@href)"/>
      <xsl:with-param name="date" select="concat(substring($when, 1, 10), ' ', substring($when, 12, 5), substring(' UTC', 1, 4 * (substring($when, string-length($when)) = 'Z')))"/>
      <xsl:with-param name="iso" select="$when"/>
      <xsl:with-param name="summary" select="string(atom:summary)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="entry">
    <xsl:param name="title"/>
    <xsl:param name="link"/>
    <xsl:param name="date"/>
    <xsl:param name="iso"/>
    <xsl:param name="summary"/>
    <article>
      <h2>
        <xsl:choose>
          <xsl:when test="starts-with($link, 'https://') or starts-with($link, 'http://')">
            <a href="{$link}"><xsl:value-of select="$title"/></a>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="$title"/></xsl:otherwise>
        </xsl:choose>
      </h2>
      <xsl:if test="$date != ''">
        <p class="meta">
          <xsl:choose>
            <xsl:when test="$iso != ''"><time datetime="{$iso}"><xsl:value-of select="$date"/></time></xsl:when>
            <xsl:otherwise><xsl:value-of select="$date"/></xsl:otherwise>
          </xsl:choose>
        </p>
      </xsl:if>
      <xsl:if test="string($summary) != ''">
        <p><xsl:value-of select="$summary"/></p>
      </xsl:if>
    </article>
  </xsl:template>

  <!-- The references lt, gt, amp, quot and #39 back to characters, one at a time (XSLT 1.0 has no replace()). -->
  <xsl:template name="unescape">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="contains($s, '&amp;')">
        <xsl:value-of select="substring-before($s, '&amp;')"/>
        <xsl:variable name="rest" select="substring-after($s, '&amp;')"/>
        <xsl:choose>
          <xsl:when test="starts-with($rest, 'lt;')">
            <xsl:text>&lt;</xsl:text>
            <xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($rest, 4)"/></xsl:call-template>
          </xsl:when>
          <xsl:when test="starts-with($rest, 'gt;')">
            <xsl:text>&gt;</xsl:text>
            <xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($rest, 4)"/></xsl:call-template>
          </xsl:when>
          <xsl:when test="starts-with($rest, 'amp;')">
            <xsl:text>&amp;</xsl:text>
            <xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($rest, 5)"/></xsl:call-template>
          </xsl:when>
          <xsl:when test="starts-with($rest, 'quot;')">
            <xsl:text>"</xsl:text>
            <xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($rest, 6)"/></xsl:call-template>
          </xsl:when>
          <xsl:when test="starts-with($rest, '#39;')">
            <xsl:text>'</xsl:text>
            <xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($rest, 5)"/></xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text>&amp;</xsl:text>
            <xsl:call-template name="unescape"><xsl:with-param name="s" select="$rest"/></xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
`;
