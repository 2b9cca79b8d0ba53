// Query parameters that only say who sent the click, never which resource is served.
// Conservative on purpose: a parameter that can change the page (id, p, page, v, ref, s, q) is never listed,
// even when some sites abuse it for tracking (`ref` is a git ref on GitHub, `s` a search on WordPress).

export interface TrackingParameter {
  /** Lowercase name; with `prefix`, every name starting with it. */
  readonly name: string;
  readonly prefix?: boolean;
  /** Only on these hosts (and their subdomains), where the name is known to be tracking. */
  readonly hosts?: readonly string[];
  /** Only with a value of this shape (decoded): a tag known by its form wherever it appears. */
  readonly value?: RegExp;
  readonly reason: string;
}

export const TRACKING_PARAMETERS: readonly TrackingParameter[] = [
  {
    name: 'utm_',
    prefix: true,
    reason: 'Google Analytics campaign tags (source, medium, campaign, term, content, id, ...)',
  },
  { name: 'fbclid', reason: 'Facebook click id' },
  { name: 'gclid', reason: 'Google Ads click id' },
  { name: 'dclid', reason: 'Google Display click id' },
  { name: 'gbraid', reason: 'Google Ads iOS web-to-app click id' },
  { name: 'wbraid', reason: 'Google Ads iOS app-to-web click id' },
  { name: 'msclkid', reason: 'Microsoft Ads click id' },
  { name: 'yclid', reason: 'Yandex click id' },
  { name: 'ttclid', reason: 'TikTok click id' },
  { name: 'twclid', reason: 'X/Twitter Ads click id' },
  { name: 'li_fat_id', reason: 'LinkedIn Ads click id' },
  { name: 'srsltid', reason: 'Google Merchant result id' },
  { name: 'mc_cid', reason: 'Mailchimp campaign id' },
  { name: 'mc_eid', reason: 'Mailchimp subscriber id' },
  { name: '_hsenc', reason: 'HubSpot email tracking' },
  { name: '_hsmi', reason: 'HubSpot email tracking' },
  { name: '__hssc', reason: 'HubSpot session cookie copied into links' },
  { name: '__hstc', reason: 'HubSpot visitor cookie copied into links' },
  { name: '__hsfp', reason: 'HubSpot fingerprint' },
  { name: 'hsctatracking', reason: 'HubSpot call-to-action tracking' },
  { name: 'mkt_tok', reason: 'Marketo email token' },
  { name: 'igshid', reason: 'Instagram share id' },
  { name: 'igsh', reason: 'Instagram share id (newer spelling)' },
  {
    name: 'si',
    hosts: ['youtube.com', 'youtu.be', 'spotify.com'],
    reason: 'share id on YouTube/Spotify only; elsewhere `si` may select content',
  },
  {
    name: 'source',
    hosts: ['medium.com'],
    reason: 'Medium tags its links with where they were clicked (rss-…, post_page-…); its pages ignore it',
  },
  {
    name: 'source',
    value: /^rss-{1,4}[0-9a-f]{8,16}-{2,8}\d+$/i,
    reason: "Medium's feed tag, also on publications' own domains; elsewhere `source` may select content",
  },
  { name: 'ref_src', reason: 'X/Twitter embed referrer' },
  { name: 'ref_url', reason: 'X/Twitter embed referrer' },
  { name: 'oly_anon_id', reason: 'Omeda audience tracking' },
  { name: 'oly_enc_id', reason: 'Omeda audience tracking' },
  { name: 'vero_id', reason: 'Vero email tracking' },
  { name: 'vero_conv', reason: 'Vero email tracking' },
  { name: '_ga', reason: 'Google Analytics cross-domain linker' },
  { name: '_gl', reason: 'Google Analytics cross-domain linker' },
  { name: 'wt_mc', reason: 'Webtrends campaign id' },
  { name: 'wt.mc_id', reason: 'Webtrends campaign id' },
  { name: 'cmpid', reason: 'news publishers tag RSS/newsletter clicks with it; never selects an article' },
  { name: 'xtor', reason: 'AT Internet campaign tag (French publishers, often in RSS links)' },
  { name: 'at_medium', reason: 'AT Internet campaign tag (BBC and others)' },
  { name: 'at_campaign', reason: 'AT Internet campaign tag' },
  { name: '_openstat', reason: 'Openstat campaign tag' },
];

function hostMatches(host: string, hosts: readonly string[]): boolean {
  return hosts.some((h) => host === h || host.endsWith(`.${h}`));
}

function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    // A malformed escape is not one of ours: compare it as written.
    return raw;
  }
}

/**
 * True when the (undecoded) parameter is a tracking parameter for this host. `rawValue` is needed
 * only by rules that look at the value; without it they do not match.
 *
 * @example
 * isTrackingParameter('source', 'blog.example', 'rss-5f3a2b1c9d8e------2') // true: Medium's feed tag
 */
export function isTrackingParameter(rawName: string, host: string, rawValue?: string): boolean {
  const name = decoded(rawName).toLowerCase();
  for (const p of TRACKING_PARAMETERS) {
    const hit = p.prefix ? name.startsWith(p.name) : name === p.name;
    if (!hit || (p.hosts && !hostMatches(host, p.hosts))) continue;
    if (!p.value || (rawValue !== undefined && p.value.test(decoded(rawValue)))) return true;
  }
  return false;
}
