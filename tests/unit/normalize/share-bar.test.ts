// Share links are known by host (or a subdomain of it) and path; look-alike hosts are not share links.
import { describe, expect, it } from 'vitest';
import { isShareLink } from '../../../src/normalize/share-bar.js';

describe('share links', () => {
  it.each([
    'https://www.facebook.com/sharer/sharer.php?u=x',
    'https://m.facebook.com:443/sharer.php?u=x',
    'https://www.linkedin.com/shareArticle?mini=true',
    'https://X.com/intent/post?text=q',
    'mailto:?subject=A&body=u',
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
