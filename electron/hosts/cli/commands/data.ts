/** init, import and metrics (export: ./export.ts). */
import type { Command } from 'commander';
import { IMPORT_KINDS } from '../../../../shared/imports/kinds';
import { formatMoney } from '../../../../shared/money';
import { resolveProfile } from '../../../core/profile';
import { withWorkstation, type GlobalOptions } from '../context';
import { multiple, pct, printJson, problemLine, table } from '../output';
import { UsageError } from '../usage';

const METRIC_MONEY = new Set(['size', 'committed', 'called', 'pic', 'distributions', 'nav', 'unfunded', 'allocated']);

export function registerDataCommands(program: Command, globals: () => GlobalOptions) {
  program
    .command('init')
    .description('create (or upgrade) the local profile database and print where it is')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const where = resolveProfile(globals());
      await withWorkstation(globals(), async (ws) => {
        const info = { dbFile: where.dbFile, home: where.home, profile: where.profile, schemaVersion: ws.db.migration.to, applied: ws.db.migration.applied };
        if (o.json) printJson(info, new Set());
        else console.log(`profile database ${where.dbFile} (schema version ${info.schemaVersion}${info.applied.length ? `, applied ${info.applied.join(', ')}` : ', up to date'})`);
      });
    });

  program
    .command('import')
    .description(`import a CSV file: ${IMPORT_KINDS.join(', ')}`)
    .argument('<kind>', IMPORT_KINDS.join('|'))
    .argument('<file>', 'CSV file (UTF-8, header row)')
    .option('--skip-invalid', 'import the valid rows and report the others')
    .option('--json', 'machine-readable output')
    .action(async (kind: string, file: string, o: { skipInvalid?: boolean; json?: boolean }) => {
      if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw new UsageError(`unknown import kind "${kind}" (expected ${IMPORT_KINDS.join(', ')})`);
      await withWorkstation(globals(), async (ws) => {
        const report = await ws.importCsv({ kind: kind as (typeof IMPORT_KINDS)[number], file, skipInvalid: o.skipInvalid ?? false });
        if (o.json) printJson(report, new Set());
        else {
          const queued = report.queued === undefined ? '' : `; ${report.queued} row(s) queued for the server in ${report.mutations} mutation(s)`;
          console.log(`imported ${report.imported} of ${report.rows} ${kind} rows from ${file}${report.skipped ? `, skipped ${report.skipped}` : ''}${queued}`);
          for (const p of report.problems) console.error(problemLine(p));
        }
      });
    });

  program
    .command('metrics')
    .description('performance metrics of a fund')
    .requiredOption('--fund <id>', 'fund id')
    .option('--as-of <date>', 'as-of date YYYY-MM-DD (default: today)')
    .option('--index <name>', 'benchmark index for the PME figures')
    .option('--json', 'machine-readable output')
    .action(async (o: { fund: string; asOf?: string; index?: string; json?: boolean }) => {
      await withWorkstation(globals(), async (ws) => {
        const m = await ws.fundMetrics({ fundId: o.fund, asOf: o.asOf, index: o.index });
        if (o.json) return printJson(m, METRIC_MONEY);
        const money = (c: number) => formatMoney(c, m.currency);
        const rows = [
          ['fund', m.fundId],
          ['as of', m.asOf],
          ['size', money(m.size)],
          ['committed', money(m.committed)],
          ['called', money(m.called)],
          ['paid-in (PIC)', money(m.pic)],
          ['distributions', money(m.distributions)],
          ['NAV', money(m.nav)],
          ['unfunded', money(m.unfunded)],
          ['allocated', money(m.allocated)],
          ['utilisation', pct(m.utilisation)],
          ['IRR', pct(m.irr)],
          ['TVPI', multiple(m.tvpi)],
          ['DPI', multiple(m.dpi)],
          ['RVPI', multiple(m.rvpi)],
          ...(o.index ? [['KS-PME', multiple(m.ksPme)], ['LN-PME (IRR)', pct(m.lnPme)], ['PME+ (IRR)', pct(m.pmePlus)], ['Direct Alpha', pct(m.directAlpha)]] : []),
        ];
        console.log(table(rows.map(([k, v]) => ({ metric: k!, value: v! })), ['metric', 'value']));
      });
    });

  // `export` lives in ./export.ts (PDF documents and every CSV export).
}
