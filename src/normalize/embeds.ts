// Frames are never kept (sanitize.ts drops them with their content), but a frame showing the video,
// track or map a story is about should not vanish without a trace: it becomes a link to the same
// thing's own page. Only for known media hosts, so that ad and tracking frames leave nothing.
import { absoluteHttpUrl } from './urls.js';

interface EmbedHost {
  /** Matched against the frame URL's hostname. */
  readonly host: RegExp;
  /** Matched against its path, for hosts that frame other things too (Google: maps, but also captchas). */
  readonly path?: RegExp;
  readonly name: string;
  /** The page a reader opens for what the frame shows; the frame's own URL when this gives none. */
  readonly page?: (url: URL) => string | undefined;
}

const match = (re: RegExp, s: string): string | undefined => re.exec(s)?.[1];

export const EMBED_HOSTS: readonly EmbedHost[] = [
  {
    host: /(?:^|\.)youtube(?:-nocookie)?\.com$/,
    name: 'YouTube',
    page: (u) => {
      const id = match(/^\/embed\/([\w-]+)/, u.pathname);
      return id && id !== 'videoseries' ? `https://www.youtube.com/watch?v=${id}` : undefined;
    },
  },
  {
    host: /^player\.vimeo\.com$/,
    name: 'Vimeo',
    page: (u) => {
      const id = match(/^\/video\/(\d+)/, u.pathname);
      return id ? `https://vimeo.com/${id}` : undefined;
    },
  },
  {
    host: /(?:^|\.)dailymotion\.com$/,
    name: 'Dailymotion',
    page: (u) => {
      const id = match(/^\/embed\/video\/(\w+)/, u.pathname);
      return id ? `https://www.dailymotion.com/video/${id}` : undefined;
    },
  },
  {
    host: /^open\.spotify\.com$/,
    name: 'Spotify',
    page: (u) => {
      const rest = match(/^\/embed\/(.+)$/, u.pathname);
      return rest ? `https://open.spotify.com/${rest}` : undefined;
    },
  },
  // The player's url parameter is the track's page.
  { host: /^w\.soundcloud\.com$/, name: 'SoundCloud', page: (u) => u.searchParams.get('url') ?? undefined },
  { host: /(?:^|\.)bandcamp\.com$/, name: 'Bandcamp' },
  { host: /^(?:player|clips)\.twitch\.tv$/, name: 'Twitch' },
  { host: /^(?:www\.)?tiktok\.com$/, name: 'TikTok' },
  { host: /^codepen\.io$/, name: 'CodePen' },
  { host: /^(?:www\.|maps\.)?google\.[a-z.]+$/, path: /^\/maps(?:\/|$)/, name: 'Google Maps' },
];

/** What a dropped frame leaves: a link to the page of what it showed, and the link's text. */
export interface EmbedLink {
  readonly href: string;
  readonly text: string;
}

/**
 * The link a frame from a known media host becomes, or undefined (unknown hosts leave nothing).
 * The text is the frame's title when it has one ("YouTube: Building a canoe"), else the host's name.
 *
 * @example
 * embedLink('https://www.youtube.com/embed/v1?rel=0', 'Canoe', undefined)
 * // { href: 'https://www.youtube.com/watch?v=v1', text: 'YouTube: Canoe' }
 */
export function embedLink(
  src: string | undefined,
  title: string | undefined,
  base: string | undefined,
): EmbedLink | undefined {
  const frame = absoluteHttpUrl(src, base);
  if (!frame) return undefined;
  let url: URL;
  try {
    url = new URL(frame);
  } catch {
    return undefined;
  }
  const known = EMBED_HOSTS.find((h) => h.host.test(url.hostname) && (h.path?.test(url.pathname) ?? true));
  if (!known) return undefined;
  const href = absoluteHttpUrl(known.page?.(url), undefined) ?? frame;
  const label = title?.replace(/\s+/g, ' ').trim();
  return { href, text: label ? `${known.name}: ${label}` : known.name };
}
