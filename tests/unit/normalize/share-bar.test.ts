// Share links are known by host (or a subdomain of it) and path; look-alike hosts are not share links.
import { describe, expect, it } from 'vitest';
import { sanitize } from '../../../src/normalize/sanitize.js';
import { isShareLink } from '../../../src/normalize/share-bar.js';

describe('share links', () => {
  it.each([
    'https://www.facebook.com/sharer/sharer.php?u=x',
    'https://m.facebook.com:443/sharer.php?u=x',
    'https://www.linkedin.com/shareArticle?mini=true',
    'https://X.com/intent/post?text=q',
    'mailto:?subject=A&body=u',
    'http://twitter.com/home?status=Story+http://x.example/1',
  ])('%s is one', (href) => {
    expect(isShareLink(href)).toBe(true);
  });

  it.each([
    'https://evilfacebook.com/sharer/sharer.php',
    'https://facebook.com.evil.example/sharer',
    'https://twitter.com/someone/status/1',
    'https://blog.example/share/this-post',
    'mailto:desk@news.example?subject=Tip',
    'javascript:alert(1)//twitter.com/share',
  ])('%s is not', (href) => {
    expect(isShareLink(href)).toBe(false);
  });
});

describe('an icon-only share bar', () => {
  it("goes, and its icons never become the item's image (Slashdot)", () => {
    const out = sanitize(
      '<p>Story text that stays.</p><div class="share_submission" style="position:relative;">' +
        '<a href="http://twitter.com/home?status=Story%3A+http%3A%2F%2Fx.example%2F1"><img src="https://a.fsdn.com/sd/twitter_icon_large.png"></a> ' +
        '<a href="http://www.facebook.com/sharer.php?u=http%3A%2F%2Fx.example%2F1"><img src="https://a.fsdn.com/sd/facebook_icon_large.png"></a></div>',
      'https://x.example/1',
    );
    expect(out.html).toBe('<p>Story text that stays.</p>');
    expect(out.firstImage).toBeUndefined();
  });
});
