import { describe, expect, it } from 'vitest';
import { authorNames } from '../../../src/normalize/authors.js';

describe('authorNames', () => {
  it.each([
    [
      "arXiv's comma list",
      'Alice Smith, Bob Jones, Carol White',
      ['Alice Smith', 'Bob Jones', 'Carol White'],
    ],
    [
      'a list ending in "and"',
      'Alice Smith, Bob Jones and Carol White',
      ['Alice Smith', 'Bob Jones', 'Carol White'],
    ],
    [
      'an Oxford comma',
      'Alice Smith, Bob Jones, and Carol White',
      ['Alice Smith', 'Bob Jones', 'Carol White'],
    ],
    ['two people joined by "and"', 'By Carla Ruiz and Dan Wu', ['Carla Ruiz', 'Dan Wu']],
    ['an ampersand', 'Carla Ruiz &amp; Dan Wu', ['Carla Ruiz', 'Dan Wu']],
    ['initials with surnames', 'A. Smith, B. C. Jones', ['A. Smith', 'B. C. Jones']],
    [
      "arXiv's older list of links",
      '<a href="http://arxiv.org/find/cs/1/au:+Smith_A/0/1/0/all/0/1">Alice Smith</a>, <a href="http://arxiv.org/find/cs/1/au:+Jones_B/0/1/0/all/0/1">Bob Jones</a>',
      ['Alice Smith', 'Bob Jones'],
    ],
    ['a trailing "et al."', 'Alice Smith, Bob Jones, et al.', ['Alice Smith', 'Bob Jones']],
    [
      'three names, the first starting with a particle',
      'Van Morrison, Joan Baez, Bob Dylan',
      ['Van Morrison', 'Joan Baez', 'Bob Dylan'],
    ],
    ['a given name that is a particle elsewhere', 'Al Gore, Bob Jones', ['Al Gore', 'Bob Jones']],
    ['names with particles', 'Vincent van Gogh, Maria de la Cruz', ['Vincent van Gogh', 'Maria de la Cruz']],
  ])('splits %s', (_name, input, expected) => {
    expect(authorNames(input)).toEqual(expected);
  });

  it.each([
    ['one name', 'Jo Doe', 'Jo Doe'],
    ['Surname, Given', 'Doe, Jo', 'Doe, Jo'],
    ['Surname, Given Initial', 'Smith, John A.', 'Smith, John A.'],
    ['Surname, initials', 'Smith, J. A.', 'Smith, J. A.'],
    ['a surname with a particle first', 'de la Cruz, Maria Elena', 'de la Cruz, Maria Elena'],
    ['a generational suffix', 'Martin Luther King, Jr.', 'Martin Luther King, Jr.'],
    ['a degree', 'Smith, PhD', 'Smith, PhD'],
    ['a spaced-out degree', 'Jane Smith, Ph. D.', 'Jane Smith, Ph. D.'],
    ['a role', 'Jane Smith, Staff Writer', 'Jane Smith, Staff Writer'],
    [
      'an organization with "and"',
      'Department of Health and Human Services',
      'Department of Health and Human Services',
    ],
    ['a firm with "&"', 'Johnson & Johnson', 'Johnson & Johnson'],
    ['a list of usernames', 'alice, bob', 'alice, bob'],
    ['a list with one single-word name', 'Alice Smith, Madonna', 'Alice Smith, Madonna'],
    ['the RSS mailbox form', 'jo@x.example (Doe, Jo)', 'Doe, Jo'],
  ])('keeps %s whole', (_name, input, expected) => {
    expect(authorNames(input)).toEqual([expected]);
  });

  it('gives no name for a profile page or a blank', () => {
    expect(authorNames('https://x.example/staff/tom')).toEqual([]);
    expect(authorNames('  ')).toEqual([]);
  });
});
