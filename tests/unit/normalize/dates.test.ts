import { describe, expect, it } from 'vitest';
import {
  asctime,
  DATE_RECOGNIZERS,
  type DateRecognizer,
  dottedDmy,
  iso8601,
  monthFirst,
  parseDate,
  resolveDates,
  rfc822,
  slashYmd,
  unixTimestamp,
  w3cdtfPartial,
} from '../../../src/normalize/dates.js';

const NOW = new Date('2024-06-01T12:00:00Z');

describe('DATE_RECOGNIZERS', () => {
  it('are tried in this order', () => {
    expect(DATE_RECOGNIZERS.map((r) => r.name)).toEqual([
      'unixTimestamp',
      'iso8601',
      'w3cdtfPartial',
      'slashYmd',
      'dottedDmy',
      'rfc822',
      'monthFirst',
      'asctime',
    ]);
  });

  // One row per recognizer and shape: [scenario, recognizer, input, expected ISO]
  it.each<[string, DateRecognizer, string, string]>([
    ['unix seconds', unixTimestamp, '1709632800', '2024-03-05T10:00:00.000Z'],
    ['unix milliseconds', unixTimestamp, '1709632800000', '2024-03-05T10:00:00.000Z'],
    ['RFC 3339 Z', iso8601, '2024-03-05T10:00:00Z', '2024-03-05T10:00:00.000Z'],
    ['RFC 3339 offset', iso8601, '2024-03-05T12:00:00+02:00', '2024-03-05T10:00:00.000Z'],
    ['ISO offset without colon', iso8601, '2024-03-05T12:00:00+0200', '2024-03-05T10:00:00.000Z'],
    ['ISO negative offset', iso8601, '2024-03-05T05:00:00-05:00', '2024-03-05T10:00:00.000Z'],
    ['ISO fractional seconds', iso8601, '2024-03-05T10:00:00.123456Z', '2024-03-05T10:00:00.123Z'],
    ['ISO without seconds', iso8601, '2024-03-05T10:00Z', '2024-03-05T10:00:00.000Z'],
    ['ISO with space, no zone', iso8601, '2024-03-05 10:00:00', '2024-03-05T10:00:00.000Z'],
    ['ISO lowercase t and z', iso8601, '2024-03-05t10:00:00z', '2024-03-05T10:00:00.000Z'],
    ['ISO with UTC word', iso8601, '2024-03-05 10:00:00 UTC', '2024-03-05T10:00:00.000Z'],
    ['ISO with a zone name', iso8601, '2024-03-05 05:00:00 EST', '2024-03-05T10:00:00.000Z'],
    ['ISO with a CEST zone name', iso8601, '2024-03-05 12:00:00 CEST', '2024-03-05T10:00:00.000Z'],
    ['date only is midnight UTC', iso8601, '2024-03-05', '2024-03-05T00:00:00.000Z'],
    ['W3CDTF year-month', w3cdtfPartial, '2024-03', '2024-03-01T00:00:00.000Z'],
    ['W3CDTF year', w3cdtfPartial, '2024', '2024-01-01T00:00:00.000Z'],
    ['year/month/day', slashYmd, '2024/03/05', '2024-03-05T00:00:00.000Z'],
    ['year/month/day time', slashYmd, '2024/03/05 10:00', '2024-03-05T10:00:00.000Z'],
    ['day.month.year', dottedDmy, '05.03.2024', '2024-03-05T00:00:00.000Z'],
    ['day.month.year time', dottedDmy, '5.3.2024 10:00', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 GMT', rfc822, 'Tue, 05 Mar 2024 10:00:00 GMT', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 UT', rfc822, 'Tue, 05 Mar 2024 10:00:00 UT', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 Z', rfc822, 'Tue, 05 Mar 2024 10:00:00 Z', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 EST', rfc822, 'Tue, 05 Mar 2024 05:00:00 EST', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 EDT', rfc822, 'Tue, 05 Mar 2024 06:00:00 EDT', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 CST', rfc822, 'Tue, 05 Mar 2024 04:00:00 CST', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 CDT', rfc822, 'Tue, 05 Mar 2024 05:00:00 CDT', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 MST', rfc822, 'Tue, 05 Mar 2024 03:00:00 MST', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 MDT', rfc822, 'Tue, 05 Mar 2024 04:00:00 MDT', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 PST', rfc822, 'Tue, 05 Mar 2024 02:00:00 PST', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 PDT', rfc822, 'Tue, 05 Mar 2024 03:00:00 PDT', '2024-03-05T10:00:00.000Z'],
    // US generic zones take daylight time by the date (2024: March 10 to November 3).
    ['ET in winter', monthFirst, 'Mar 5, 2024 5:00 AM ET', '2024-03-05T10:00:00.000Z'],
    ['ET in summer', monthFirst, 'Jul 5, 2024 6:00 AM ET', '2024-07-05T10:00:00.000Z'],
    ['PT an hour before daylight time', rfc822, '10 Mar 2024 01:30 PT', '2024-03-10T09:30:00.000Z'],
    ['PT when daylight time starts', rfc822, '10 Mar 2024 03:00 PT', '2024-03-10T10:00:00.000Z'],
    ['CT in the hour November repeats', rfc822, '3 Nov 2024 01:30 CT', '2024-11-03T06:30:00.000Z'],
    ['MT after daylight time', rfc822, '3 Nov 2024 02:30 MT', '2024-11-03T09:30:00.000Z'],
    [
      'RFC 822 military letter (RFC 5322: UTC)',
      rfc822,
      'Tue, 05 Mar 2024 10:00:00 A',
      '2024-03-05T10:00:00.000Z',
    ],
    ['RFC 822 numeric offset', rfc822, 'Tue, 05 Mar 2024 12:00:00 +0200', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 offset with colon', rfc822, 'Tue, 05 Mar 2024 12:00:00 +02:00', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 two-digit year', rfc822, 'Tue, 05 Mar 24 10:00:00 GMT', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 two-digit year 19xx', rfc822, '05 Mar 99 10:00:00 GMT', '1999-03-05T10:00:00.000Z'],
    ['RFC 822 missing seconds', rfc822, 'Tue, 05 Mar 2024 10:00 GMT', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 missing day name', rfc822, '05 Mar 2024 10:00:00 GMT', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 wrong day name ignored', rfc822, 'Fri, 05 Mar 2024 10:00:00 GMT', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 one-digit day', rfc822, 'Tue, 5 Mar 2024 10:00:00 GMT', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 no space after comma', rfc822, 'Tue,05 Mar 2024 10:00:00 GMT', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 comma after year', rfc822, 'Tue, 05 Mar 2024, 10:00:00 GMT', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 full names', rfc822, 'Tuesday, 05 March 2024 10:00:00 GMT', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 no zone is UTC', rfc822, '5 March 2024 10:00', '2024-03-05T10:00:00.000Z'],
    ['RFC 822 GMT+offset', rfc822, 'Tue, 05 Mar 2024 12:00:00 GMT+0200', '2024-03-05T10:00:00.000Z'],
    ['dashed day-month-year', rfc822, '05-Mar-2024', '2024-03-05T00:00:00.000Z'],
    ['German month', rfc822, '5. März 2024 10:00', '2024-03-05T10:00:00.000Z'],
    ['French month', rfc822, 'mar., 5 mars 2024 10:00:00 +0100', '2024-03-05T09:00:00.000Z'],
    ['Spanish month', rfc822, '5 dic 2023', '2023-12-05T00:00:00.000Z'],
    ['Dutch month', rfc822, '5 mrt 2024', '2024-03-05T00:00:00.000Z'],
    ['Italian month', rfc822, '5 mag 2024', '2024-05-05T00:00:00.000Z'],
    ['month first', monthFirst, 'March 5, 2024', '2024-03-05T00:00:00.000Z'],
    ['month first, short, no comma', monthFirst, 'Mar 5 2024', '2024-03-05T00:00:00.000Z'],
    [
      'month first, ordinal, 12-hour clock',
      monthFirst,
      'Tuesday, March 5th, 2024 at 10:00 PM',
      '2024-03-05T22:00:00.000Z',
    ],
    ['month first, 12 am', monthFirst, 'Mar 5, 2024 12:30 am', '2024-03-05T00:30:00.000Z'],
    ['JavaScript Date#toString', monthFirst, 'Tue Mar 05 2024 11:00:00 GMT+0100', '2024-03-05T10:00:00.000Z'],
    ['asctime', asctime, 'Tue Mar  5 10:00:00 2024', '2024-03-05T10:00:00.000Z'],
    ['Unix date', asctime, 'Tue Mar 5 10:00:00 UTC 2024', '2024-03-05T10:00:00.000Z'],
  ])('%s', (_name, recognize, input, iso) => {
    expect(recognize(input.replace(/\s+/g, ' '))?.toISOString()).toBe(iso);
  });
});

describe('parseDate', () => {
  it.each([
    ['trailing comment', 'Tue, 5 Mar 2024 10:00:00 +0000 (UTC)', '2024-03-05T10:00:00.000Z'],
    [
      'Date#toString with zone name',
      'Tue Mar 05 2024 11:00:00 GMT+0100 (Central European Standard Time)',
      '2024-03-05T10:00:00.000Z',
    ],
    ['extra whitespace', '  Tue,   05  Mar   2024   10:00:00   GMT  ', '2024-03-05T10:00:00.000Z'],
    ['NBSP', 'Tue,\u00A005 Mar 2024 10:00:00 GMT', '2024-03-05T10:00:00.000Z'],
    ['trailing comma', 'March 5, 2024,', '2024-03-05T00:00:00.000Z'],
    ['5 March 2024 10:00', '5 March 2024 10:00', '2024-03-05T10:00:00.000Z'],
    ['leap day', '2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['leap second kept in its minute', '2016-12-31T23:59:60Z', '2016-12-31T23:59:59.000Z'],
    // Words pages put around dates and times, in the languages of the month table.
    ['de, Uhr', '2. Dezember 2026, 14:30 Uhr', '2026-12-02T14:30:00.000Z'],
    ['de, dotted with um and Uhr', '02.12.2026 um 14:30 Uhr', '2026-12-02T14:30:00.000Z'],
    ['de, day name, um', 'Mittwoch, 2. Dezember 2026 um 14:30 Uhr', '2026-12-02T14:30:00.000Z'],
    ['fr, à and 14h30', '2 décembre 2026 à 14h30', '2026-12-02T14:30:00.000Z'],
    ['fr, 14 h 30', 'mercredi 2 décembre 2026 à 14 h 30', '2026-12-02T14:30:00.000Z'],
    ['nl, om', '2 december 2026 om 14:30', '2026-12-02T14:30:00.000Z'],
    ['it, alle', '2 dicembre 2026 alle 14:30', '2026-12-02T14:30:00.000Z'],
    ['es, de ... de', '2 de diciembre de 2026', '2026-12-02T00:00:00.000Z'],
    ['es, a las', '2 de diciembre de 2026 a las 14:30', '2026-12-02T14:30:00.000Z'],
    ['pt, de ... de, às', '2 de dezembro de 2026 às 14:30', '2026-12-02T14:30:00.000Z'],
    ['zh/ja year, month and day marks', '2026年12月2日 14:30', '2026-12-02T14:30:00.000Z'],
    ['ko year, month and day marks', '2026년 12월 2일', '2026-12-02T00:00:00.000Z'],
    ['Drupal, dash before the time', 'Wednesday, December 2, 2026 - 14:30', '2026-12-02T14:30:00.000Z'],
    // Closer than dating the item when first seen: the day and clock time are right, the zone unknown.
    ['ambiguous zone name taken as UTC', 'Wed, 02 Dec 2026 14:30:00 IST', '2026-12-02T14:30:00.000Z'],
  ])('%s', (_name, input, iso) => {
    expect(parseDate(input)?.toISOString()).toBe(iso);
  });

  it.each([
    ['February 30', '2024-02-30'],
    ['February 29 in a common year', '2023-02-29'],
    ['month 13', '2024-13-01'],
    ['hour 25', '2024-03-05T25:00:00Z'],
    ['minute 60', 'Tue, 05 Mar 2024 10:60:00 GMT'],
    ['13 pm', 'March 5, 2024 13:00 PM'],
    ['US or EU? refused', '03/05/2024'],
    ['unknown month', '5 Foo 2024'],
    ['split month name is no month', 'Ma rch 5, 2024'],
    ['bad zone', 'Tue, 05 Mar 2024 10:00:00 +9999'],
    ['words', 'yesterday'],
    ['an hour alone', '14h30'],
    ['Uhr without a date', '14:30 Uhr'],
    ['empty', ''],
    ['very long', `${'1'.repeat(200)}`],
  ])('rejects %s', (_name, input) => {
    expect(parseDate(input)).toBeUndefined();
  });

  it('never uses the implementation-defined Date parser', () => {
    // new Date('2024-03-05 10:00') is local time in V8; ours is UTC regardless of TZ.
    expect(parseDate('2024-03-05 10:00')?.toISOString()).toBe('2024-03-05T10:00:00.000Z');
  });
});

describe('resolveDates', () => {
  it('uses published, and parses updated', () => {
    const d = resolveDates('2024-03-05T10:00:00Z', '2024-03-06T10:00:00Z', NOW);
    expect(d.published.toISOString()).toBe('2024-03-05T10:00:00.000Z');
    expect(d.updated?.toISOString()).toBe('2024-03-06T10:00:00.000Z');
    expect(d.publishedGuessed).toBe(false);
  });

  it('falls back to updated when published is missing or unreadable', () => {
    const d = resolveDates('not a date', '2024-03-06T10:00:00Z', NOW);
    expect(d.published.toISOString()).toBe('2024-03-06T10:00:00.000Z');
    expect(d.publishedGuessed).toBe(false);
  });

  it('falls back to now, and says so', () => {
    const d = resolveDates(undefined, undefined, NOW);
    expect(d.published.toISOString()).toBe(NOW.toISOString());
    expect(d.publishedGuessed).toBe(true);
    expect(d.updated).toBeUndefined();
  });

  it('accepts a date slightly ahead (zone mistakes) but not days ahead', () => {
    expect(resolveDates('2024-06-02T12:00:00Z', undefined, NOW).publishedGuessed).toBe(false);
    const far = resolveDates('2024-06-10T00:00:00Z', undefined, NOW);
    expect(far.publishedGuessed).toBe(true);
    expect(far.published.toISOString()).toBe(NOW.toISOString());
  });

  it('treats zero dates (Unix 0, Go zero time) as missing', () => {
    expect(resolveDates('1970-01-01T00:00:00Z', undefined, NOW).publishedGuessed).toBe(true);
    expect(resolveDates('0001-01-01T00:00:00Z', undefined, NOW).publishedGuessed).toBe(true);
    expect(resolveDates('1985-07-01', undefined, NOW).publishedGuessed).toBe(false);
  });
});
