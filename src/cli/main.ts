// The command line. Thin: parses flags, calls config/pipeline, picks the exit code. The only place
// that knows about exit codes; cli.ts is the only place that calls process.exit.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { DEFAULTS, sourcesJsonSchema } from '../config/index.js';
import { FeedloomError } from '../errors.js';
import { VERSION } from '../util/version.js';
import { parsePort, SERVE_DEFAULTS, serveCommand } from './commands/serve.js';
import type { CliIO } from './io.js';
// Each command's modules load only when it runs: `run` on a warm state needs no HTML parser, `--help`
// needs nothing. (serve.js is imported for its flag parsers; it is light.)
import { type LogFormat, type LogLevel, parseLogFormat, parseLogLevel } from './log.js';

export const EXIT = { ok: 0, failed: 1, config: 2, locked: 3 } as const;

/**
 * Runs feedloom with `argv` (without the node and script parts) and returns the exit code.
 * @example
 * process.exitCode = await main(process.argv.slice(2), processIO());
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('feedloom')
    .description(
      'Aggregates RSS, Atom and JSON feeds and article files into one clean RSS, Atom and JSON Feed.',
    )
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const configOption = ['-c, --config <file>', 'the sources file', DEFAULTS.configFile] as const;

  program
    .command('run')
    .description('fetch every source once, update the state and write output/ (for cron)')
    .option(...configOption)
    .option('-o, --out <dir>', 'output folder (default: "output" beside the sources file)')
    .option('-s, --state <dir>', 'state folder (default: ".feedloom" beside the sources file)')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--wait', 'if another run holds the state folder, wait for it instead of exiting with 3')
    .option('--wait-timeout <seconds>', 'longest wait with --wait', positiveSeconds, 600)
    .option('--all', 'also fetch sources not due yet (held back by ttl, max-age, Retry-After or failures)')
    .option('--log <format>', 'human (the summary table) or json (JSON lines on stdout)', logFormat)
    .option(
      '--log-level <level>',
      'debug, info, warn or error; with human logs, adds a line per source',
      logLevel,
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 output written or already up to date, 1 every source failed, 2 the sources file is invalid,' +
        '\n3 another run holds <state>/lock (a lock left by a dead process is taken over).',
    )
    .action(
      async (opts: {
        config: string;
        out?: string;
        state?: string;
        quiet?: boolean;
        wait?: boolean;
        waitTimeout?: number;
        all?: boolean;
        log?: LogFormat;
        logLevel?: LogLevel;
      }) => {
        code = await (await import('./commands/run.js')).runCommand(opts, io);
      },
    );

  program
    .command('start')
    .description('run as a daemon: fetch each source on its own schedule and keep output/ up to date')
    .option(...configOption)
    .option('-o, --out <dir>', 'output folder (default: "output" beside the sources file)')
    .option('-s, --state <dir>', 'state folder (default: ".feedloom" beside the sources file)')
    .option('--log <format>', 'human or json (JSON lines on stdout)', logFormat)
    .option('--log-level <level>', 'debug, info, warn or error', logLevel)
    .option('--no-watch', 'do not reload when the sources file changes (SIGHUP still reloads)')
    .addHelpText(
      'after',
      '\nSIGHUP or an edit of the sources file reloads it (an invalid one is reported and the old one stays).' +
        '\nSIGTERM or SIGINT stops: fetches in flight get schedule.graceSeconds, outputs are written, exit 0.' +
        '\nExit codes: 0 stopped by a signal, 2 the sources file is invalid, 3 another run holds <state>/lock.',
    )
    .action(
      async (opts: {
        config: string;
        out?: string;
        state?: string;
        log?: LogFormat;
        logLevel?: LogLevel;
        watch?: boolean;
      }) => {
        code = await (await import('./commands/start.js')).startCommand(opts, io);
      },
    );

  program
    .command('status')
    .description('print the health of every source: last success, failures, items, median fetch time')
    .option(...configOption)
    .option('-s, --state <dir>', 'state folder (default: ".feedloom" beside the sources file)')
    .option('--json', 'print the same data as JSON (what output/status.json holds)')
    .option('--check', 'exit 1 when any source is dead (for alerting)')
    .addHelpText(
      'after',
      '\nA source is dead after 10 or more failures in a row spread over at least 24 hours.' +
        '\nExit codes: 0, or 1 with --check when a source is dead; 2 the sources file is invalid.',
    )
    .action(async (opts: { config: string; state?: string; json?: boolean; check?: boolean }) => {
      code = await (await import('./commands/status.js')).statusCommand(opts, io);
    });

  program
    .command('check')
    .description('validate the sources file and print every problem with its JSON path')
    .option(...configOption)
    .action(async (opts: { config: string }) => {
      code = await (await import('./commands/check.js')).checkCommand(opts, io);
    });

  program
    .command('explain')
    .argument('<link-or-id>', 'an entry id, or the link or guid of any item in it')
    .description('show which items form an entry and the scores that joined them')
    .option(...configOption)
    .option('-s, --state <dir>', 'state folder (default: ".feedloom" beside the sources file)')
    .action(async (ref: string, opts: { config: string; state?: string }) => {
      code = await (await import('./commands/explain.js')).explainCommand(ref, opts, io);
    });

  program
    .command('serve')
    .description('serve the output folder over HTTP, with the right content types, 304s and gzip/br')
    .option(...configOption)
    .option('-o, --out <dir>', 'folder to serve (default: the output folder of the sources file)')
    .option('--host <host>', 'address to listen on', SERVE_DEFAULTS.host)
    .option('-p, --port <port>', 'port to listen on (0: any free port)', parsePort, SERVE_DEFAULTS.port)
    .option('-w, --watch', 'also run the scheduler (as `feedloom start`), so what is served stays fresh')
    .option('-s, --state <dir>', 'state folder for --watch (default: ".feedloom" beside the sources file)')
    .option('-q, --quiet', 'print only the address, no line per request')
    .option(
      '--log-level <level>',
      'debug, info, warn or error (as `feedloom start`); warn and error also drop the request lines',
      logLevel,
    )
    .addHelpText(
      'after',
      '\nStops on Ctrl-C (SIGINT) or SIGTERM with exit code 0. With --watch the scheduler holds the state lock' +
        '\n(exit 3 if another run has it) and stops first, as `feedloom start` does.',
    )
    .action(
      async (opts: {
        config: string;
        out?: string;
        host: string;
        port: number;
        quiet?: boolean;
        watch?: boolean;
        state?: string;
        logLevel?: LogLevel;
      }) => {
        code = await serveCommand(opts, io);
      },
    );

  program
    .command('discover')
    .argument('<url>', 'a web page (or a feed)')
    .description('list the feeds a page advertises or has at common paths, with format, items and title')
    .option('--json', 'print what was found as JSON, including the candidates that were not feeds')
    .addHelpText(
      'after',
      '\nExit codes: 0 at least one feed found, 1 none found or the page could not be fetched, 2 not a URL.',
    )
    .action(async (url: string, opts: { json?: boolean }) => {
      code = await (await import('./commands/discover.js')).discoverCommand(url, opts, io);
    });

  program
    .command('add')
    .argument('<url>', 'a web page or a feed')
    .description('add the best feed of a page to the sources file (a page source when it has none)')
    .option(...configOption)
    .option('--id <id>', 'the source id (default: the host name, e.g. "example.com")')
    .option('--tags <tags>', 'comma-separated tags, e.g. "news,tech"')
    .option('--dry-run', 'print the new sources file instead of writing it')
    .addHelpText(
      'after',
      '\nThe file keeps its formatting: the new source is inserted after the last one, indented like it.' +
        '\nExit codes: 0 added, 1 no feed and no page items found, 2 invalid file or the id or URL is already in it.',
    )
    .action(async (url: string, opts: { config: string; id?: string; tags?: string; dryRun?: boolean }) => {
      code = await (await import('./commands/add.js')).addCommand(url, opts, io);
    });

  program
    .command('import')
    .argument('<file.opml>', "a feed reader's OPML export (Feedly, Inoreader, NetNewsWire, ...)")
    .description('add the feeds of an OPML file to the sources file; category folders become tags')
    .option(...configOption)
    .option('--tags <tags>', 'comma-separated tags added to every imported feed, e.g. "imported"')
    .option('--dry-run', 'print the new sources file (and the report on stderr) instead of writing it')
    .addHelpText(
      'after',
      '\nFeeds whose URL is already in the sources file are skipped and listed; so are outlines without a usable URL.' +
        '\nExit codes: 0 done, 1 the file lists no feed, 2 the OPML or the sources file is unreadable or invalid.',
    )
    .action(async (file: string, opts: { config: string; tags?: string; dryRun?: boolean }) => {
      code = await (await import('./commands/import.js')).importCommand(file, opts, io);
    });

  program
    .command('preview')
    .argument('<url>', 'a listing page')
    .description('show the items a page source would read: detected, or found by --select selectors')
    .option('--select <json>', 'selectors to try, e.g. \'{"item":".post","title":"h2","link":"h2 a@href"}\'')
    .option('--json', 'print the method, selectors and every item as JSON')
    .addHelpText(
      'after',
      '\nWithout --select it tries JSON-LD, h-entry, <article> elements and repeated blocks, and suggests selectors.' +
        '\nExit codes: 0 items found, 1 none found or the page could not be fetched, 2 a bad URL or --select.',
    )
    .action(async (url: string, opts: { select?: string; json?: boolean }) => {
      code = await (await import('./commands/preview.js')).previewCommand(url, opts, io);
    });

  program
    .command('schema')
    .description('print the JSON Schema of sources.json (for editors: "$schema": "./sources.schema.json")')
    .action(() => {
      io.stdout.write(`${JSON.stringify(sourcesJsonSchema(), null, 2)}\n`);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; a usage mistake is a config-class error.
      return e.exitCode === 0 ? EXIT.ok : EXIT.config;
    }
    if (e instanceof FeedloomError && (e.code === 'CONFIG_INVALID' || e.code === 'CONFIG_READ')) {
      io.stderr.write(`feedloom: ${e.message}\n`);
      if (e.code === 'CONFIG_READ')
        io.stderr.write('Create one from the example in README.md, or point --config at it.\n');
      else io.stderr.write('Nothing was written. Fix the lines above and run again.\n');
      return EXIT.config;
    }
    if (e instanceof FeedloomError && e.code === 'LOCKED') {
      io.stderr.write(`feedloom: ${e.message}\n`);
      return EXIT.locked;
    }
    io.stderr.write(`feedloom: ${e instanceof Error ? e.message : String(e)}\n`);
    if (io.env['FEEDLOOM_DEBUG'] && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    return EXIT.failed;
  }
  return code;
}

function logFormat(value: string): LogFormat {
  const f = parseLogFormat(value);
  if (!f) throw new InvalidArgumentError('expected "human" or "json"');
  return f;
}

function logLevel(value: string): LogLevel {
  const l = parseLogLevel(value);
  if (!l) throw new InvalidArgumentError('expected debug, info, warn or error');
  return l;
}

/** `--wait-timeout`: seconds, a positive number (fractions allowed, for tests). */
function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}
