import { describe, expect, it } from 'vitest';
import { embedLink } from '../../../src/normalize/embeds.js';

describe('embedLink', () => {
  it("turns a known player's frame into a link to the page of what it shows", () => {
    expect(
      embedLink('https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30', '  A   talk ', undefined),
    ).toEqual({
      href: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      text: 'YouTube: A talk',
    });
    expect(embedLink('//player.vimeo.com/video/123', undefined, 'https://blog.example/post')).toEqual({
      href: 'https://vimeo.com/123',
      text: 'Vimeo',
    });
    expect(
      embedLink('https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk', undefined, undefined)?.href,
    ).toBe('https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk');
  });

  it("keeps the frame's own URL when the host's page cannot be derived", () => {
    expect(
      embedLink('https://bandcamp.com/EmbeddedPlayer/album=1/size=large', undefined, undefined)?.href,
    ).toBe('https://bandcamp.com/EmbeddedPlayer/album=1/size=large');
  });

  it('leaves nothing for unknown hosts and unsafe URLs', () => {
    expect(embedLink('https://ad.doubleclick.net/ddm/adi/N1', undefined, undefined)).toBeUndefined();
    expect(embedLink('javascript:alert(1)', 'x', undefined)).toBeUndefined();
    expect(embedLink(undefined, 'x', undefined)).toBeUndefined();
    // Google frames more than maps.
    expect(
      embedLink('https://www.google.com/recaptcha/api2/anchor?k=x', undefined, undefined),
    ).toBeUndefined();
    expect(embedLink('https://www.google.com/maps/embed?pb=1', 'Harbour', undefined)).toEqual({
      href: 'https://www.google.com/maps/embed?pb=1',
      text: 'Google Maps: Harbour',
    });
    // A look-alike host is not the player.
    expect(embedLink('https://youtube.com.evil.example/embed/x', undefined, undefined)).toBeUndefined();
  });
});
