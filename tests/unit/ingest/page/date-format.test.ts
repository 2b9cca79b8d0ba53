// select.dateFormat: one named row per shape sites print, each turned into ISO 8601 for normalize.
import { describe, expect, it } from 'vitest';
import {
  compileDateFormat,
  dateToIso,
  monthNumber,
  readPrintedDate,
} from '../../../../src/ingest/page/index.js';
import { parseDate } from '../../../../src/normalize/dates.js';

const NOW = new Date('2026-06-15T12:00:00Z');

describe('dateFormat patterns', () => {
  it.each([
    ['German numeric with time', 'DD.MM.YYYY HH:mm', '05.03.2026 14:30', '2026-03-05T14:30:00'],
    [
      'German month name, "Uhr" left out',
      'D. MMMM YYYY, HH:mm',
      '12. März 2026, 14:30 Uhr',
      '2026-03-12T14:30:00',
    ],
    ['German abbreviation Mrz', 'D. MMM YYYY', '3. Mrz. 2026', '2026-03-03'],
    ['English month first', 'MMMM D, YYYY', 'March 5, 2026', '2026-03-05'],
    ['English ordinal with weekday', 'dddd, MMMM Do YYYY', 'Thursday, March 5th 2026', '2026-03-05'],
    ['English 12-hour clock', 'MMM D, YYYY h:mm A', 'Mar 5, 2026 2:07 PM', '2026-03-05T14:07:00'],
    ['12 am is midnight', 'YYYY-MM-DD h:mm a', '2026-03-05 12:15 am', '2026-03-05T00:15:00'],
    ['French with accent', 'D MMMM YYYY', '1 février 2026', '2026-02-01'],
    ['French first of the month', 'Do MMMM YYYY', '1er août 2025', '2025-08-01'],
    ['French abbreviation', 'D MMM YYYY', '14 déc. 2025', '2025-12-14'],
    ['Spanish with literal "de"', 'D [de] MMMM [de] YYYY', '9 de septiembre de 2025', '2025-09-09'],
    ['Spanish abbreviation', 'DD MMM YYYY', '02 ene 2026', '2026-01-02'],
    ['US slashes, two-digit year', 'MM/DD/YY', '03/05/26', '2026-03-05'],
    ['found inside other text', 'DD.MM.YYYY', 'Veröffentlicht am 05.03.2026 von Anna', '2026-03-05'],
    ['with a zone', 'YYYY-MM-DD HH:mm Z', '2026-03-05 14:30 +0100', '2026-03-05T14:30:00+01:00'],
    ['seconds and UTC', 'DD/MM/YYYY HH:mm:ss ZZ', '05/03/2026 14:30:09 UTC', '2026-03-05T14:30:09Z'],
    ['no year: this year when not ahead', 'D MMMM', '3 June', '2026-06-03'],
    ['no year: last year when it would be ahead', 'D MMMM', '28 December', '2025-12-28'],
    ['month and year only', 'MMMM YYYY', 'Mai 2026', '2026-05-01'],
  ])('%s', (_name, pattern, text, expected) => {
    const iso = dateToIso(text, compileDateFormat(pattern), NOW);
    expect(iso).toBe(expected);
    // What ingest hands on, normalize reads.
    expect(parseDate(iso)).toBeInstanceOf(Date);
  });

  it.each([
    ['an impossible day', 'DD.MM.YYYY', '30.02.2026'],
    ['an unknown month name', 'D MMMM YYYY', '3 Brumaire 2026'],
    ['an ambiguous abbreviation (juin or juillet)', 'D MMM YYYY', '3 jui 2026'],
    ['13 pm', 'h:mm A D.M.YYYY', '13:00 PM 1.2.2026'],
    ['text that does not match', 'DD.MM.YYYY', 'yesterday'],
  ])('refuses %s', (_name, pattern, text) => {
    expect(dateToIso(text, compileDateFormat(pattern), NOW)).toBeUndefined();
  });

  it('refuses a pattern without a month, naming it', () => {
    expect(() => compileDateFormat('YYYY')).toThrow(/select\.dateFormat "YYYY" has no month/);
  });

  it.each([
    ['Janvier', 1],
    ['Febr.', 2],
    ['März', 3],
    ['maerz', 3],
    ['avr.', 4],
    ['Mayo', 5],
    ['juil', 7],
    ['Agosto', 8],
    ['sept.', 9],
    ['Okt', 10],
    ['dic', 12],
    ['Dezember', 12],
  ])('month %s is %d', (name, month) => {
    expect(monthNumber(name)).toBe(month);
  });
});

describe('printed dates, read without a dateFormat', () => {
  it.each([
    ['Jekyll minima', 'Dec 3, 2026', '2026-12-03'],
    ['month first with an ordinal', 'December 3rd, 2026', '2026-12-03'],
    ['day first with an ordinal', '3rd December 2026', '2026-12-03'],
    ['a time after a bar', '3 December 2026 | 12:30', '2026-12-03T12:30:00'],
    ['a time after a middle dot', 'Thu 3 Dec 2026 · 09:15', '2026-12-03T09:15:00'],
    ['a 12-hour time after "at"', 'Dec 3, 2026 at 2:07 pm', '2026-12-03T14:07:00'],
    ['German', '3. Dezember 2026, 14:30 Uhr', '2026-12-03T14:30:00'],
    ['French first of the month', '1er décembre 2026', '2026-12-01'],
    ['Spanish', '3 de diciembre de 2026', '2026-12-03'],
    ['dotted day first (Hugo)', '03.12.2026', '2026-12-03'],
    ['ISO date', '2026-12-03', '2026-12-03'],
    ['a label before it', 'Published: 3 Dec 2026', '2026-12-03'],
  ])('%s', (_name, text, expected) => {
    const iso = readPrintedDate(text, NOW);
    expect(iso).toBe(expected);
    expect(parseDate(iso)).toBeInstanceOf(Date);
  });

  it.each([
    ['a headline with a year', 'Ten things to do in December 2026'],
    ['a year alone', 'Budget 2026'],
    ['slashes (US or European?)', '03/12/2026'],
    ['no year', '3 December'],
    ['a machine date with a zone, left to normalize', '2026-12-03T10:00:00Z'],
    ['too long to be only a date', 'Posted by the harbour desk team on 3 December 2026'],
  ])('refuses %s', (_name, text) => {
    expect(readPrintedDate(text, NOW)).toBeUndefined();
  });
});
