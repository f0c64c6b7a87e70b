/** allocation create | approve | reject | cancel | list */
import type { Command } from 'commander';
import { newId } from '../../../../shared/ids';
import { formatCents, parseCents } from '../../../../shared/money';
import { SECURITY_TYPES, type AllocationRow } from '../../../../shared/domain/entities';
import { businessDateOf } from '../../../../shared/dates';
import { withWorkstation, type GlobalOptions } from '../context';
import { printJson, table } from '../output';
import { UsageError } from '../usage';

const MONEY = new Set(['amount']);

export function registerAllocationCommands(program: Command, globals: () => GlobalOptions) {
  const allocation = program.command('allocation').description('allocations of fund capital to deals');

  allocation
    .command('create')
    .requiredOption('--fund <id>', 'fund id')
    .requiredOption('--deal <id>', 'deal id')
    .requiredOption('--amount <amount>', 'amount in the fund currency, e.g. 2500000 or 2500000.50')
    .option('--security-type <type>', SECURITY_TYPES.join('|'), 'common_equity')
    .option('--date <date>', 'allocation date YYYY-MM-DD (default: today)')
    .option('--id <id>', 'id of the new allocation (default: a new UUIDv7)')
    .option('--json', 'machine-readable output')
    .action(async (o: { fund: string; deal: string; amount: string; securityType: string; date?: string; id?: string; json?: boolean }) => {
      await withWorkstation(globals(), async (ws) => {
        const id = o.id ?? newId();
        const r = await ws.mutate({
          name: 'createAllocation',
          args: { id, fundId: o.fund, dealId: o.deal, amount: parseCents(o.amount, 'amount'), securityType: o.securityType, date: o.date ?? businessDateOf(new Date()) },
        });
        const row = r.result as AllocationRow;
        if (o.json) printJson(row, MONEY);
        else console.log(`allocation ${row.id}: ${formatCents(row.amount)} of ${row.fund_id} to ${row.deal_id}, ${row.status}${row.status === 'proposed' ? ' (awaiting approval)' : ''}`);
      });
    });

  for (const [cmd, mutation, verb] of [
    ['approve', 'approveAllocation', 'approved'],
    ['reject', 'rejectAllocation', 'rejected'],
    ['cancel', 'cancelAllocation', 'cancelled'],
  ] as const) {
    allocation
      .command(cmd)
      .argument('<id>', 'allocation id')
      .option('--json', 'machine-readable output')
      .action(async (id: string, o: { json?: boolean }) => {
        await withWorkstation(globals(), async (ws) => {
          const current = ws.db.raw.prepare<[string], { version: number }>('SELECT version FROM allocation WHERE id = ? AND deleted_at IS NULL').get(id);
          if (!current) throw new UsageError(`allocation ${id} does not exist`);
          const r = await ws.mutate({ name: mutation, args: { id, expectedVersion: current.version } });
          const row = r.result as AllocationRow;
          if (o.json) printJson(row, MONEY);
          else console.log(`allocation ${id} ${verb}`);
        });
      });
  }

  allocation
    .command('list')
    .requiredOption('--fund <id>', 'fund id')
    .option('--json', 'machine-readable output')
    .action(async (o: { fund: string; json?: boolean }) => {
      await withWorkstation(globals(), async (ws) => {
        const rows = await ws.listAllocations({ fundId: o.fund });
        if (o.json) return printJson(rows, MONEY);
        console.log(
          table(
            rows.map((a) => ({ id: a.id, deal: a.deal_name, type: a.security_type, amount: formatCents(a.amount), status: a.status, date: a.date })),
            ['id', 'deal', 'type', 'amount', 'status', 'date'],
          ),
        );
      });
    });
}
