// The shape of sources.json, as the user writes it. Strict objects: an unknown key is almost always a
// typo, and silently ignoring it is how a setting "does nothing". Resolution to `Config` is in resolve.ts.
import { validate as validateCron } from 'node-cron';
import * as z from 'zod';

const nonEmpty = (what: string) =>
  z
    .string({ error: `expected ${what}` })
    .trim()
    .min(1, `expected ${what}`);

const httpOrFileUrl = z.string({ error: 'expected a URL' }).refine(
  (s) => {
    try {
      return ['http:', 'https:', 'file:'].includes(new URL(s).protocol);
    } catch {
      return false;
    }
  },
  { error: (iss) => `expected a URL (http://, https:// or file:), got ${JSON.stringify(iss.input)}` },
);
const httpUrl = z.string({ error: 'expected a URL' }).refine(
  (s) => {
    try {
      return ['http:', 'https:'].includes(new URL(s).protocol);
    } catch {
      return false;
    }
  },
  { error: (iss) => `expected an http:// or https:// URL, got ${JSON.stringify(iss.input)}` },
);
const cron = z.string({ error: 'expected a cron expression' }).refine((s) => validateCron(s), {
  error: (iss) => `expected a cron expression like "*/30 * * * *", got ${JSON.stringify(iss.input)}`,
});
const positiveInt = (what: string) =>
  z
    .number({ error: `expected ${what}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`);
const tags = z.array(nonEmpty('a tag'), { error: 'expected a list of tags' });

/** Network limits a source may override; the same keys set the defaults. */
const limitFields = {
  timeoutMs: positiveInt('a time in milliseconds').optional(),
  maxBytes: positiveInt('a size in bytes').optional(),
  maxDecompressedBytes: positiveInt('a size in bytes').optional(),
  maxRedirects: z.number().int().min(0, 'expected 0 or more').max(20, 'expected at most 20').optional(),
  retries: z.number().int().min(0, 'expected 0 or more').max(10, 'expected at most 10').optional(),
  maxItems: positiveInt('a number of items').optional(),
};

export const selectorsSchema = z.strictObject({
  item: nonEmpty('a CSS selector for each item'),
  title: nonEmpty('a CSS selector for the title'),
  link: nonEmpty('a CSS selector for the link, such as "a@href"'),
  date: nonEmpty('a CSS selector').optional(),
  summary: nonEmpty('a CSS selector').optional(),
  image: nonEmpty('a CSS selector').optional(),
  author: nonEmpty('a CSS selector').optional(),
  next: nonEmpty('a CSS selector for the next-page link, such as "a[rel=next]@href"').optional(),
  dateFormat: nonEmpty('a date pattern such as "DD.MM.YYYY HH:mm"').optional(),
});

/** Pages of one listing read per run (issue 4): a cap, so a wrong next selector cannot crawl a site. */
export const MAX_PAGES = 10;

export const sourceSchema = z
  .strictObject({
    id: z
      .string({ error: 'expected an id' })
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
        'expected letters, digits, ".", "_" or "-" (it names the source in state and output)',
      )
      .optional(),
    kind: z.enum(['feed', 'page', 'article'], { error: 'expected "feed", "page" or "article"' }),
    url: httpOrFileUrl.optional(),
    path: nonEmpty('a file or folder path').optional(),
    title: nonEmpty('a title').optional(),
    tags: tags.optional(),
    schedule: cron.optional(),
    priority: z.number({ error: 'expected a number' }).optional(),
    select: selectorsSchema.optional(),
    fullText: z.boolean({ error: 'expected true or false' }).optional(),
    maxPages: z
      .number({ error: 'expected a number of pages' })
      .int('expected a number of pages')
      .min(1, 'expected 1 or more')
      .max(MAX_PAGES, `expected at most ${MAX_PAGES}`)
      .optional(),
    ...limitFields,
  })
  .superRefine((s, ctx) => {
    if ((s.url === undefined) === (s.path === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: s.url === undefined ? ['url'] : ['path'],
        message: 'give exactly one of "url" or "path"',
      });
    }
    // A page source without "select" detects its items (issue 4); only "maxPages" is page-only too.
    if (s.kind !== 'page' && s.maxPages !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxPages'],
        message: `"maxPages" applies to "page" sources only, not "${s.kind}"`,
      });
    }
    if (s.kind !== 'feed' && s.fullText !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['fullText'],
        message: `"fullText" applies to "feed" sources only (a source of kind "${s.kind}" is read in full already)`,
      });
    }
    if (s.kind !== 'page' && s.select) {
      ctx.addIssue({
        code: 'custom',
        path: ['select'],
        message: `"select" applies to "page" sources only, not "${s.kind}"`,
      });
    }
  });

/** A case-insensitive regular expression, compiled here so a typo is reported at load, with its path. */
const pattern = z.string({ error: 'expected a regular expression' }).superRefine((s, ctx) => {
  try {
    new RegExp(s, 'i');
  } catch (e) {
    ctx.addIssue({
      code: 'custom',
      message: `not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`,
    });
  }
});
/** include/exclude of an output: which fields of an entry are matched (issue 6). */
const entryFilterSchema = z.strictObject(
  {
    title: pattern.optional(),
    content: pattern.optional(),
    author: pattern.optional(),
    category: pattern.optional(),
  },
  { error: 'expected an object with "title", "content", "author" and/or "category" patterns' },
);
const languageTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as "en" or "de-CH"');

export const outputSchema = z.strictObject({
  name: z
    .string({ error: 'expected a name' })
    // A name becomes a folder under output/: nothing that could climb out of it or hide.
    .regex(
      /^[a-z0-9][a-z0-9_-]*$/i,
      'expected letters, digits, "_" or "-" (it becomes a folder name under output/)',
    ),
  title: nonEmpty('a title').optional(),
  description: z.string().optional(),
  limit: positiveInt('a number of entries').optional(),
  maxAgeDays: z
    .number({ error: 'expected a number of days' })
    .positive('expected a number of days')
    .optional(),
  tags: tags.optional(),
  sources: z.array(nonEmpty('a source id')).optional(),
  formats: z
    .array(z.enum(['rss', 'atom', 'json'], { error: 'expected "rss", "atom" or "json"' }))
    .min(1, 'expected at least one format')
    .optional(),
  dedupe: z.strictObject({ near: z.boolean({ error: 'expected true or false' }).optional() }).optional(),
  language: languageTag.optional(),
  icon: httpUrl.optional(),
  include: entryFilterSchema.optional(),
  exclude: entryFilterSchema.optional(),
  minWords: positiveInt('a number of words').optional(),
  perSource: z.boolean({ error: 'expected true or false' }).optional(),
});

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    site: z
      .strictObject({
        title: nonEmpty('a site title'),
        description: z.string().optional(),
        url: httpUrl.optional(),
        feedBase: httpUrl
          .refine((s) => s.endsWith('/'), {
            error: 'expected a URL ending in "/" (the public URL of output/)',
          })
          .optional(),
        language: z
          .string()
          .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as "en" or "de-CH"')
          .optional(),
        author: z
          .strictObject({
            name: nonEmpty('a name'),
            email: z.email('expected an e-mail address').optional(),
            url: httpUrl.optional(),
          })
          .optional(),
        icon: httpUrl.optional(),
      })
      .optional(),
    defaults: z.strictObject({ schedule: cron.optional(), ...limitFields }).optional(),
    fetch: z
      .strictObject({
        concurrency: positiveInt('a number of requests').optional(),
        perHost: positiveInt('a number of requests').optional(),
        retryAfterCapMs: z.number().int().min(0, 'expected 0 or more').optional(),
        backoffBaseMs: z.number().int().min(0, 'expected 0 or more').optional(),
        userAgent: nonEmpty('a User-Agent string').optional(),
      })
      .optional(),
    dedupe: z
      .strictObject({
        windowDays: z.number().positive('expected a number of days').optional(),
        near: z.boolean({ error: 'expected true or false' }).optional(),
        threshold: z
          .number({ error: 'expected a number between 0 and 1' })
          .gt(0, 'expected a number between 0 and 1')
          .max(1, 'expected a number between 0 and 1')
          .optional(),
      })
      .optional(),
    // History kept in the state (issue 5); by default the longest window dedupe and outputs need.
    retention: z
      .strictObject({
        days: z.number({ error: 'expected a number of days' }).positive('expected a number of days'),
      })
      .optional(),
    // How `start` schedules and how `start` and `run` hold back polite and failing sources (issue 5).
    schedule: z
      .strictObject({
        minIntervalMinutes: z
          .number({ error: 'expected a number of minutes' })
          .min(0, 'expected 0 or more')
          .optional(),
        jitterSeconds: z
          .number({ error: 'expected a number of seconds' })
          .min(0, 'expected 0 or more')
          .optional(),
        backoffCapHours: z
          .number({ error: 'expected a number of hours' })
          .positive('expected a number of hours')
          .optional(),
        deadAfterFailures: positiveInt('a number of failures').optional(),
        deadAfterHours: z
          .number({ error: 'expected a number of hours' })
          .min(0, 'expected 0 or more')
          .optional(),
        graceSeconds: z
          .number({ error: 'expected a number of seconds' })
          .min(0, 'expected 0 or more')
          .optional(),
        debounceSeconds: z
          .number({ error: 'expected a number of seconds' })
          .min(0, 'expected 0 or more')
          .optional(),
      })
      .optional(),
    state: nonEmpty('a folder path').optional(),
    output: nonEmpty('a folder path').optional(),
    sources: z.array(sourceSchema, { error: 'expected a list of sources' }),
    outputs: z.array(outputSchema, { error: 'expected a list of outputs' }).optional(),
    websub: z.strictObject({ hub: httpUrl }).optional(),
  })
  .superRefine((c, ctx) => {
    // Hubs and subscribers need the feeds' public URLs (hub.url, rel="self"): only feedBase says them.
    if (c.websub && !c.site?.feedBase) {
      ctx.addIssue({
        code: 'custom',
        path: ['websub', 'hub'],
        message: 'WebSub needs the public URL of the feeds: set "site.feedBase" too',
      });
    }
    const names = new Map<string, number>();
    (c.outputs ?? []).forEach((o, i) => {
      const first = names.get(o.name.toLowerCase());
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['outputs', i, 'name'],
          message: `"${o.name}" is already used by outputs[${first}]`,
        });
      } else names.set(o.name.toLowerCase(), i);
    });
  });

export type SourcesFile = z.infer<typeof configSchema>;
export type SourceEntry = z.infer<typeof sourceSchema>;
