import { load } from 'cheerio';
import type { Element } from 'domhandler';
import { describe, expect, it } from 'vitest';
import { ALLOWED_TAGS, GLOBAL_ATTRIBUTES } from '../../../src/normalize/allowlist.js';
import { htmlToText, sanitize } from '../../../src/normalize/sanitize.js';
import { fixturePath, listFixtures, readFixture } from '../../helpers/fixtures.js';

const BASE = 'https://blog.example/posts/2024/hello.html';

/**
 * What a browser would see in sanitized output, checked with parse5 (cheerio's spec-exact default parser),
 * not with the parser the sanitizer used: a differential between the two would show up here.
 */
function violations(html: string): string[] {
  const bad: string[] = [];
  if (/<script/i.test(html)) bad.push('"<script" in output');
  const $ = load(html, null, false);
  for (const el of $('*').toArray() as Element[]) {
    const allowed = ALLOWED_TAGS[el.name];
    if (!allowed) {
      bad.push(`element <${el.name}>`);
      continue;
    }
    for (const [name, value] of Object.entries(el.attribs)) {
      if (!allowed.includes(name) && !GLOBAL_ATTRIBUTES.includes(name)) bad.push(`<${el.name} ${name}>`);
      if (/^on/i.test(name) || name === 'style') bad.push(`<${el.name} ${name}>`);
      if (name === 'href' && !/^(?:https?:\/\/|mailto:)/.test(value)) bad.push(`href ${value}`);
      if (['src', 'cite', 'poster'].includes(name)) {
        const dataOk =
          el.name === 'img' && name === 'src' && /^data:image\/(?:png|gif|jpeg|webp)[;,]/i.test(value);
        if (!dataOk && !/^https?:\/\//.test(value)) bad.push(`${name} ${value}`);
      }
      if (name === 'srcset') {
        for (const candidate of value.split(', '))
          if (!/^https?:\/\//.test(candidate)) bad.push(`srcset ${candidate}`);
      }
    }
  }
  return bad;
}

describe('sanitize golden pairs (tests/fixtures/normalize)', () => {
  const cases = listFixtures('normalize').filter((f) => f.endsWith('.html'));

  it('finds the fixtures', () => {
    expect(cases.length).toBeGreaterThan(15);
  });

  it.each(cases)('%s matches its .expected.html', async (file) => {
    const out = sanitize(readFixture(`normalize/${file}`), BASE);
    await expect(`${out.html}\n`).toMatchFileSnapshot(
      fixturePath(`normalize/${file.replace(/\.html$/, '.expected.html')}`),
    );
  });

  it.each(cases)('%s: only allowlisted elements and attributes, only absolute safe URLs', (file) => {
    expect(violations(sanitize(readFixture(`normalize/${file}`), BASE).html)).toEqual([]);
  });

  it.each(cases)('%s: sanitizing twice changes nothing', (file) => {
    const once = sanitize(readFixture(`normalize/${file}`), BASE);
    const twice = sanitize(once.html, BASE);
    expect(twice.html).toBe(once.html);
    expect(twice.text).toBe(once.text);
  });
});

describe('dangerous content', () => {
  it.each([
    ['script element', '<script>alert(1)</script>'],
    ['script with src', '<script src="https://evil.example/x.js"></script>'],
    ['upper-case script', '<SCRIPT>alert(1)</SCRIPT>'],
    ['script inside svg', '<svg><script>alert(1)</script></svg>'],
    ['iframe', '<iframe src="https://evil.example/"></iframe>'],
    ['form', '<form action="https://evil.example/"><input name="p"><button>go</button></form>'],
    ['object and embed', '<object data="x.swf"><embed src="x.swf"></object>'],
    ['template', '<template><script>alert(1)</script></template>'],
    ['noscript trick', '<noscript><p title="</noscript><script>alert(1)</script>"></noscript>'],
  ])('%s is removed with its content', (_name, html) => {
    const out = sanitize(`<p>keep</p>${html}`, BASE);
    expect(out.html).toBe('<p>keep</p>');
    expect(out.text).toBe('keep');
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['leading space and mixed case', ' JaVaScRiPt:alert(1)'],
    ['tab entity inside', 'java&#x09;script:alert(1)'],
    ['newline entity inside', 'java&#10;script:alert(1)'],
    ['carriage return inside', 'java\rscript:alert(1)'],
    ['leading control characters', '&#x01;&#x1f;javascript:alert(1)'],
    ['entity-encoded letters', '&#x6A;&#x61;vascript:alert(1)'],
    ['named colon entity', 'javascript&colon;alert(1)'],
    ['zero-width space inside', 'java\u200Bscript:alert(1)'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['data:text/html', 'data:text/html,<script>alert(1)</script>'],
    ['data:image on a link', 'data:image/png;base64,AAAA'],
    ['file:', 'file:///etc/passwd'],
  ])('a link to %s loses its href and is unwrapped', (_name, href) => {
    const out = sanitize(`<p><a href="${href}">x</a></p>`, BASE);
    expect(out.html).toBe('<p>x</p>');
  });

  it.each([
    ['png', 'data:image/png;base64,iVBORw0KGgo=', true],
    ['gif', 'data:image/gif;base64,R0lGODlh', true],
    ['jpeg', 'data:image/jpeg;base64,/9j/', true],
    ['webp', 'data:image/webp;base64,UklGR', true],
    ['svg', 'data:image/svg+xml;base64,PHN2Zz4=', false],
    ['html', 'data:text/html;base64,PHNjcmlwdD4=', false],
  ])('img src data:image/%s kept: %s', (_name, src, kept) => {
    const out = sanitize(`<img src="${src}" alt="x">`, BASE);
    expect(out.html.includes(src)).toBe(kept);
    // A data: image is never the item's image.
    expect(out.firstImage).toBeUndefined();
  });

  it('keeps mailto: on links only', () => {
    const out = sanitize('<a href="mailto:a@b.example">mail</a><img src="mailto:a@b.example">', BASE);
    expect(out.html).toBe('<a href="mailto:a@b.example">mail</a>');
  });

  it('removes every on* and style attribute, whatever the case', () => {
    const out = sanitize(
      '<p OnClick="x()" STYLE="color:red" onMouseOver="y()"><img src="a.png" onerror="z()" onload="w()"></p>',
      BASE,
    );
    expect(out.html).toBe('<p><img src="https://blog.example/posts/2024/a.png"></p>');
    expect(out.html).not.toMatch(/\son\w+=/i);
    expect(out.html).not.toMatch(/style=/i);
  });

  it('escapes text so nothing in it becomes markup again', () => {
    const out = sanitize('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>', BASE);
    expect(out.html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>');
    expect(out.text).toBe('<script>alert(1)</script> & more');
  });

  it('removes comments, CDATA and processing instructions', () => {
    expect(sanitize('<p>a<!-- <script>x</script> -->b</p><![CDATA[c]]><?pi d?>', BASE).html).toBe(
      '<p>ab</p>',
    );
  });
});

describe('structure', () => {
  it('turns h1 into h2: the item title is the page h1', () => {
    expect(sanitize('<h1 class="x">Top</h1><h2>Next</h2>', BASE).html).toBe('<h2>Top</h2><h2>Next</h2>');
  });

  it('shows a link that reads as its own address without the tracking taken off its href', () => {
    const raw = 'https://www.example.org/reviews/book?utm_source=mastodon&utm_medium=social';
    const out = sanitize(
      `<p>Review: <a href="${raw}">${raw}</a> and <a href="${raw}">the review</a></p>`,
      BASE,
    ).html;
    expect(out).toBe(
      '<p>Review: <a href="https://www.example.org/reviews/book">https://www.example.org/reviews/book</a> and ' +
        '<a href="https://www.example.org/reviews/book">the review</a></p>',
    );
  });

  it("shows Mastodon's three-span address as one, cleaned", () => {
    const out = sanitize(
      '<p><a href="https://example.com/blog/spring?utm_source=mastodon" target="_blank" rel="nofollow noopener noreferrer" translate="no">' +
        '<span class="invisible">https://</span><span class="ellipsis">example.com/blog/spr</span>' +
        '<span class="invisible">ing?utm_source=mastodon</span></a></p>',
      BASE,
    );
    expect(out.html).toBe(
      '<p><a href="https://example.com/blog/spring">https://example.com/blog/spring</a></p>',
    );
    expect(out.text).toBe('https://example.com/blog/spring');
  });

  it('unwraps span, div and unknown elements, keeping their text', () => {
    expect(sanitize('<span>a</span> <my-tag>b</my-tag> <font>c</font>', BASE).html).toBe('a b c');
    expect(sanitize('<div><span>a</span> <my-tag>b</my-tag> <font>c</font></div>', BASE).html).toBe(
      '<p>a b c</p>',
    );
  });

  it('keeps the blocks of unwrapped divs apart: each inline run becomes a paragraph', () => {
    const html = (s: string): string => sanitize(s, BASE).html;
    expect(
      html(
        '<div>First line of the post.</div><div>Second line here.</div><div><span>Third</span></div>' +
          '<section><div>Fourth in section</div>Tail text</section>',
      ),
    ).toBe(
      '<p>First line of the post.</p><p>Second line here.</p><p>Third</p><p>Fourth in section</p><p>Tail text</p>',
    );
    // Blogger: a line per div, an empty line as a div holding a <br>.
    expect(html('<div>A</div><div><br /></div><div>B<br />C</div>')).toBe('<p>A</p><p>B<br>C</p>');
    // Blocks already there are left as they are; the text between them gets its own paragraph.
    expect(html('<div><p>One</p>between<ul><li>x</li></ul></div>')).toBe(
      '<p>One</p><p>between</p><ul><li>x</li></ul>',
    );
    // Only where paragraphs may stand: not inside a link, a span or a heading, not in <pre>.
    expect(html('<a href="/x"><div>card</div></a>')).toBe('<a href="https://blog.example/x">card</a>');
    expect(html('<h2><div>Title</div></h2>')).toBe('<h2>Title</h2>');
    expect(html('<pre><div>code</div></pre>')).toBe('<pre>code</pre>');
    expect(html('<ul><li><div>a</div><div>b</div></li></ul>')).toBe('<ul><li><p>a</p><p>b</p></li></ul>');
  });

  it('unwraps a link without a usable href', () => {
    expect(sanitize('<p><a name="x">anchor</a> and <a>bare</a></p>', BASE).html).toBe(
      '<p>anchor and bare</p>',
    );
  });

  it.each([
    ['nbsp only', '<p>&nbsp;</p>'],
    ['spaces', '<p>   </p>'],
    ['only br', '<p><br><br/></p>'],
    ['left empty by removal', '<p><script>x</script><iframe></iframe></p>'],
    ['empty inline inside', '<p><em></em><span> </span></p>'],
    ['empty link', '<p><a href="https://x.example/"></a></p>'],
  ])('drops an empty paragraph: %s', (_name, html) => {
    expect(sanitize(`${html}<p>text</p>`, BASE).html).toBe('<p>text</p>');
  });

  it('keeps a paragraph that holds only an image', () => {
    expect(sanitize('<p><img src="/a.png"></p>', BASE).html).toBe(
      '<p><img src="https://blog.example/a.png"></p>',
    );
  });

  it.each([
    ['1x1', '<img src="https://x.example/a.gif" width="1" height="1">'],
    ['0x0', '<img src="https://x.example/a.gif" width="0" height="0">'],
    ['height 1px', '<img src="https://x.example/a.gif" height="1px">'],
    ['feedburner ~r', '<img src="https://feeds.feedburner.com/~r/Blog/~4/abc">'],
    ['feedburner ~ff', '<img src="https://feeds.feedburner.com/~ff/Blog?d=abc">'],
    ['wordpress stats', '<img src="https://stats.wordpress.com/b.gif?v=1">'],
    ['pixel.wp.com', '<img src="https://pixel.wp.com/g.gif?x=1">'],
    ['doubleclick', '<img src="https://ad.doubleclick.net/x/y">'],
    ['/pixel path', '<img src="https://news.example/t/pixel?u=1">'],
    ['/track/open path', '<img src="https://mail.example/track/open/abc.gif">'],
  ])('drops a tracking image: %s', (_name, html) => {
    const out = sanitize(`<p>text</p>${html}`, BASE);
    expect(out.html).toBe('<p>text</p>');
    expect(out.firstImage).toBeUndefined();
  });

  it.each([
    ['pixel art', 'https://x.example/pixel-art.png'],
    ['tracks', 'https://music.example/tracks/cover.jpg'],
  ])('keeps an ordinary image whose URL merely resembles a tracker: %s', (_name, src) => {
    expect(sanitize(`<img src="${src}" width="300">`, BASE).firstImage).toBe(src);
  });

  it('removes the WordPress "appeared first" footer but not body prose with the same words', () => {
    const prose = '<p>The post office appeared first on my list of errands, then the bank.</p>';
    const footer = '<p>The post <a href="/x">X</a> appeared first on <a href="/">Blog</a>.</p>';
    const out = sanitize(prose + footer, BASE);
    expect(out.html).toBe(prose);
  });

  it('removes FeedBurner flares and Jetpack share bars by class', () => {
    const out = sanitize(
      '<p>body</p><div class="feedflare"><a href="https://x.example/">Share</a></div><div class="sharedaddy sd-block"><h3>Share this:</h3></div>',
      BASE,
    );
    expect(out.html).toBe('<p>body</p>');
    expect(out.text).toBe('body');
  });

  it('removes share bars by where their links go, whatever their class', () => {
    const bar =
      '<div class="post-share"><span>Share this:</span> ' +
      '<a href="https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fblog.example%2Fa">Facebook</a> ' +
      '<a href="https://twitter.com/intent/tweet?url=https%3A%2F%2Fblog.example%2Fa&amp;text=A">X</a> ' +
      '<a href="https://www.linkedin.com/shareArticle?mini=true&amp;url=u">LinkedIn</a> ' +
      '<a href="mailto:?subject=A&amp;body=https%3A%2F%2Fblog.example%2Fa">Email</a></div>';
    const list =
      '<ul class="a2a"><li><a href="https://www.addtoany.com/add_to/reddit?linkurl=u">Reddit</a></li>' +
      '<li><a href="https://api.whatsapp.com/send?text=u"><img src="/wa.png" alt="WhatsApp"></a></li></ul>';
    const out = sanitize(
      `<p>body</p>${bar}${list}<p><a href="https://x.com/intent/post?text=q">Click to post this</a></p>`,
      BASE,
    );
    expect(out.html).toBe('<p>body</p>');
    expect(out.text).toBe('body');
  });

  it('keeps blocks whose links are not all share links, and long blocks that cite one', () => {
    const cited =
      '<p>She posted <a href="https://twitter.com/someone/status/1">this</a> and <a href="https://twitter.com/intent/tweet?text=q">a tweet button</a>.</p>';
    const mail = '<p><a href="mailto:desk@news.example?subject=Tip">Send us a tip</a></p>';
    const long = `<p>${'Long prose about sharing. '.repeat(10)}<a href="https://twitter.com/share?url=u">Tweet</a></p>`;
    const out = sanitize(`${cited}${mail}${long}`, BASE);
    expect(out.html).toContain('twitter.com/someone/status/1');
    expect(out.html).toContain('mailto:desk@news.example');
    expect(out.html).toContain('Long prose about sharing.');
  });

  it.each([
    'screen-reader-text',
    'sr-only',
    'visually-hidden',
    'visuallyhidden',
    'a11y-hidden',
    'assistive-text',
  ])('drops text hidden for screen readers only (class %s), which a reader would show', (cls) => {
    const out = sanitize(
      `<p>Excerpt… <a href="/full#more-1" class="more-link">Continue reading <span class="x ${cls.toUpperCase()}">Startup raises $50M</span></a></p>`,
      BASE,
    );
    expect(out.html).toBe('<p>Excerpt… <a href="https://blog.example/full#more-1">Continue reading </a></p>');
    expect(out.text).toBe('Excerpt… Continue reading');
  });

  it('keeps Mastodon\'s "invisible" URL parts: they are the link text a reader should show', () => {
    const out = sanitize(
      '<p><a href="https://x.example/a/long"><span class="invisible">https://</span><span class="ellipsis">x.example/a/</span><span class="invisible">long</span></a></p>',
      BASE,
    );
    expect(out.text).toBe('https://x.example/a/long');
  });

  it.each([
    [
      'YARPP box, by class',
      '<div class="yarpp yarpp-related yarpp-related-rss"><h3>Related posts:</h3><ol><li><a href="/a">A</a></li><li><a href="/b">B</a> (with an excerpt)</li></ol></div>',
    ],
    [
      'a label paragraph and a list of links',
      '<p>Related posts:</p><ul class="related_post wp_rp"><li><a href="/mulch/">Mulch 101</a></li></ul>',
    ],
    [
      'a heading and a list of links in an unknown box',
      '<div class="rp4wp"><h3>Related Articles</h3>\n<ol>\n<li><a href="/a">A</a></li>\n<li> <a href="/b">B</a> </li></ol></div>',
    ],
  ])('drops a related-posts block: %s', (_name, block) => {
    const out = sanitize(`<p>Body.</p>${block}<p>After.</p>`, BASE);
    expect(out.html).toBe('<p>Body.</p><p>After.</p>');
    expect(out.text).toBe('Body. After.');
  });

  it.each([
    [
      'words between label and list',
      '<p>Related posts:</p><p>We covered this.</p><ul><li><a href="/a">A</a></li></ul>',
      'Related posts: We covered this. A',
    ],
    [
      'list items that say more than a link',
      '<p>Related posts:</p><ul><li><a href="/a">A</a> is worth a read</li></ul>',
      'Related posts: A is worth a read',
    ],
    [
      'a list of links without the label',
      '<p>Sources:</p><ul><li><a href="/a">A</a></li></ul>',
      'Sources: A',
    ],
    [
      'a label without a list',
      '<h3>Related posts</h3><p>There are none yet.</p>',
      'Related posts. There are none yet.',
    ],
  ])('keeps what only resembles a related-posts block: %s', (_name, html, text) => {
    expect(sanitize(html, BASE).text).toBe(text);
  });

  it('drops rules at the start and end of the content, where a removed header or footer left them', () => {
    const medium =
      '<hr> <p>Body.</p><hr><p>More.</p><hr><p><a href="https://medium.com/p/1">A</a> was originally published in <a href="https://medium.com/pub">P</a> on Medium, where people are continuing the conversation by highlighting and responding to this story.</p>\n<hr>';
    expect(sanitize(medium, BASE).html).toBe('<p>Body.</p><hr><p>More.</p>');
    expect(sanitize('<hr>', BASE).html).toBe('');
  });

  // Reddit's Atom content, as the feeds write it (&#32; and all).
  const submittedBy = (link: string, comments: string) =>
    ' &#32; submitted by &#32; <a href="https://www.reddit.com/user/throwaway_dev"> /u/throwaway_dev </a> <br/> ' +
    `<span><a href="${link}">[link]</a></span> &#32; <span><a href="${comments}">[comments]</a></span>`;
  const thread = 'https://www.reddit.com/r/technology/comments/1h4zzzz/my_isp/';

  it('drops the "submitted by /u/x [link] [comments]" footer of a Reddit text post', () => {
    const html = `<!-- SC_OFF --><div class="md"><p>My ISP injects ads.</p> <ul> <li>ISP: ExampleNet</li> </ul> </div><!-- SC_ON -->${submittedBy(thread, thread)}`;
    const out = sanitize(html, BASE);
    expect(out.html).toBe('<p>My ISP injects ads.</p><ul> <li>ISP: ExampleNet</li> </ul>');
    expect(out.text).toBe('My ISP injects ads. ISP: ExampleNet');
  });

  it('keeps the article of a Reddit link post, as a link, when dropping its footer', () => {
    const article =
      'https://www.harbordaily.example/2026/12/01/bridge?utm_source=reddit&amp;utm_medium=social';
    const html = `<table> <tr><td> <a href="${thread}"> <img src="https://external-preview.redd.it/abc.jpg?width=640" alt="Bridge" /> </a> </td><td>${submittedBy(article, thread)} </td></tr></table>`;
    const out = sanitize(html, BASE);
    expect(out.html).toContain(
      '<p>Link: <a href="https://www.harbordaily.example/2026/12/01/bridge">https://www.harbordaily.example/2026/12/01/bridge</a></p>',
    );
    expect(out.html).not.toContain('[comments]');
    expect(out.text).toBe('Link: https://www.harbordaily.example/2026/12/01/bridge');
  });

  it.each([
    ['words after it', `<p>Hi</p>${submittedBy(thread, thread)} and more words`],
    [
      'a user link that is not a Reddit user page',
      `<p>Hi</p>${submittedBy(thread, thread).replace('https://www.reddit.com/user/throwaway_dev', 'https://x.example/u')}`,
    ],
    ['no [comments] link', `<p>Hi</p>${submittedBy(thread, thread).replace('[comments]', 'comments')}`],
    [
      'prose with the same words',
      '<p>The bill was submitted by <a href="https://x.example/">the senator</a> on Monday.</p>',
    ],
  ])('keeps what only resembles the Reddit footer: %s', (_name, html) => {
    expect(sanitize(html, BASE).text).toContain('submitted by');
  });

  it('keeps a "Continue reading" link: with an excerpt-only feed it is the way to the rest', () => {
    const out = sanitize('<p>Excerpt… <a href="/full#more-1">Continue reading</a></p>', BASE);
    expect(out.html).toContain('Continue reading');
  });
});

describe('plain text and first image, from the same walk', () => {
  it.each([
    ['paragraphs', '<p>a</p><p>b</p>', 'a b'],
    ['br', 'a<br>b', 'a b'],
    ['list items', '<ul><li>a</li><li>b</li></ul>', 'a b'],
    ['table cells', '<table><tr><td>a</td><td>b</td></tr></table>', 'a b'],
    ['unwrapped divs', '<div>a</div><div>b</div>', 'a b'],
    ['inline stays joined', '<p>a<b>b</b>c</p>', 'abc'],
    ['entities decoded once', '<p>AT&amp;amp;T &lt;3</p>', 'AT&amp;T <3'],
    ['nbsp and newlines collapsed', '<p>a&nbsp;&nbsp;b\n\n c</p>', 'a b c'],
    ['no text from removed parts', '<p>a</p><script>b</script><style>c</style>', 'a'],
    [
      'a heading ends its sentence',
      '<h2>Season tickets</h2><p>Holders get two days.</p>',
      'Season tickets. Holders get two days.',
    ],
    ['a heading with its own punctuation keeps it', '<h3>What now?</h3><p>Wait.</p>', 'What now? Wait.'],
    ['a heading of inline parts', '<h1>Big <em>news</em></h1>text', 'Big news. text'],
  ])('%s', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('reports the first kept http(s) image, absolute and tracking-free', () => {
    const out = sanitize(
      '<img src="https://feeds.feedburner.com/~r/x/~4/y"><img src="data:image/png;base64,AA"><img src="/i.png?utm_source=rss&w=2"><img src="/j.png">',
      BASE,
    );
    expect(out.firstImage).toBe('https://blog.example/i.png?w=2');
  });

  it('never reports an image declared under 100 px (an icon, a badge) as the first one', () => {
    const out = sanitize(
      '<p><img src="/icons/pdf.png" width="16" height="16"> Download</p><img src="/b.png" height="24px"><img src="/photo.jpg">',
      BASE,
    );
    expect(out.firstImage).toBe('https://blog.example/photo.jpg');
    expect(out.html).toContain('<img src="https://blog.example/icons/pdf.png" width="16" height="16">');
    expect(sanitize('<img src="/icons/pdf.png" width="16">', BASE).firstImage).toBeUndefined();
  });
});

describe('emoji drawn as pictures', () => {
  it.each([
    [
      "WordPress's wp-smiley",
      '<p>Done <img src="https://s.w.org/images/core/emoji/15.0.3/72x72/1f389.png" alt="🎉" class="wp-smiley" style="height: 1em; max-height: 1em;" /></p>',
      '<p>Done 🎉</p>',
    ],
    [
      "WordPress's twemoji script",
      '<p>Hi <img draggable="false" role="img" class="emoji" alt="😀" src="https://s.w.org/images/core/emoji/15.0.3/svg/1f600.svg"> there</p>',
      '<p>Hi 😀 there</p>',
    ],
    [
      'Discourse, by its shortcode',
      '<p>Thanks <img src="https://emoji.discourse-cdn.com/twitter/slight_smile.png?v=12" title=":slight_smile:" class="emoji" alt=":slight_smile:" width="20" height="20"></p>',
      '<p>Thanks :slight_smile:</p>',
    ],
    [
      'an emoji CDN without the class',
      '<p>Yes <img src="https://s.w.org/images/core/emoji/15.0.3/72x72/2705.png" alt="✅"></p>',
      '<p>Yes ✅</p>',
    ],
  ])('become their text: %s', (_name, html, expected) => {
    const out = sanitize(`${html}<p><img src="/photo.jpg"></p>`, BASE);
    expect(out.html).toBe(`${expected}<p><img src="https://blog.example/photo.jpg"></p>`);
    expect(out.firstImage).toBe('https://blog.example/photo.jpg');
  });

  it('leave an image with an emoji class but no alt text alone, and pictures of other classes', () => {
    expect(sanitize('<img class="emoji" src="/e.png">', BASE).html).toBe(
      '<img src="https://blog.example/e.png">',
    );
    expect(sanitize('<img class="emoji-chart" alt="Chart" src="/c.png">', BASE).html).toBe(
      '<img alt="Chart" src="https://blog.example/c.png">',
    );
  });
});

describe('listings: content that is only links', () => {
  const gnews =
    '<ol><li><a href="https://news.google.com/rss/articles/A?oc=5" target="_blank">Bridge opens</a>&nbsp;&nbsp;<font color="#6f6f6f">Harbor Daily</font></li>' +
    '<li><a href="https://news.google.com/rss/articles/B?oc=5">Bridge: what commuters need to know</a>&nbsp;&nbsp;<font color="#6f6f6f">Coastal Tribune</font></li></ol>';
  it.each([
    ['a list of headlines with their outlets (Google News)', gnews],
    [
      'one headline and its outlet',
      '<a href="https://news.google.com/rss/articles/C">Rates steady</a>&nbsp;&nbsp;<font color="#6f6f6f">The Ledger</font>',
    ],
    ['one link (Hacker News)', '<a href="https://news.ycombinator.com/item?id=1">Comments</a>'],
    ['one link in a paragraph', '<p><a href="/a">Read the paper</a></p>'],
  ])('are marked: %s', (_name, html) => {
    expect(sanitize(html, BASE).onlyLinks).toBe(true);
  });

  it.each([
    ['prose with a link', '<p>We went to <a href="/a">the fair</a> and had a great time there.</p>'],
    ['a link after words', '<p>See <a href="/a">this</a></p>'],
    [
      'a link with a sentence beside it',
      `<p><a href="/a">A</a> ${'is a fine read, and more. '.repeat(3)}</p>`,
    ],
    ['two links on one line', '<p><a href="/a">A</a> and <a href="/b">B</a></p>'],
    ['a list with a prose item', '<ul><li><a href="/a">A</a></li><li>Plain words</li></ul>'],
    ['a link and a paragraph', '<p><a href="/a">A</a></p><p>More words.</p>'],
    ['an image link', '<a href="/a"><img src="/i.png"></a>'],
    ['nothing', ''],
  ])('are not: %s', (_name, html) => {
    expect(sanitize(html, BASE).onlyLinks).toBeUndefined();
  });
});

describe('characters', () => {
  it('removes XML-illegal control characters, raw and as references', () => {
    const out = sanitize('<p title="t\u0001">a\u0000b\u0008c&#0;d&#x1;e&#xD800;f\uFFFEg</p>', BASE);
    expect(out.html).toBe('<p>abcdefg</p>');
    expect(out.text).toBe('abcdefg');
  });

  it('keeps U+FFFD that is in the input, and adds none', () => {
    expect(sanitize('<p>8\uFFFD hours</p>', BASE).text).toBe('8\uFFFD hours');
    expect(sanitize('<p>a&#0;b\u0000c</p>', BASE).html).not.toContain('\uFFFD');
  });

  it('keeps right-to-left text and its direction', () => {
    const out = sanitize('<p dir="rtl" lang="ar">مرحبا بالعالم</p>', BASE);
    expect(out.html).toBe('<p dir="rtl" lang="ar">مرحبا بالعالم</p>');
  });
});

describe('big and hostile input', () => {
  it('handles a 1 MB item in one pass', () => {
    const para =
      '<p>Lorem <b>ipsum</b> dolor <a href="/x?utm_source=a&id=1">sit</a> amet, consectetur &amp; adipiscing.</p>\n';
    const html = para.repeat(Math.ceil(1_000_000 / para.length));
    const out = sanitize(html, BASE);
    expect(out.html.length).toBeGreaterThan(900_000);
    expect(out.html).not.toContain('utm_source');
  });

  it('survives long runs that could make a regex backtrack', () => {
    const runs = [
      '<'.repeat(200_000),
      '<a'.repeat(100_000),
      `<${'a'.repeat(500_000)}`,
      `<a ${'x'.repeat(500_000)}`,
      '&#'.repeat(100_000),
      ' '.repeat(500_000),
      `<div>${'<p>'.repeat(3000)}`,
    ];
    for (const run of runs) expect(typeof sanitize(`<p>x</p>${run}`, BASE).html).toBe('string');
  });

  it('flattens pathological nesting instead of crashing or crawling', () => {
    const depth = 50_000;
    const out = sanitize(`${'<div><b>'.repeat(depth)}deep${'</b></div>'.repeat(depth)}`, BASE);
    expect(out.text).toBe('deep');
  });

  it('drops elements nested deeper than the limit but keeps the shallow content', () => {
    const out = sanitize(`<p>top</p>${'<blockquote>'.repeat(300)}deep${'</blockquote>'.repeat(300)}`, BASE);
    expect(out.text).toBe('top');
  });
});
