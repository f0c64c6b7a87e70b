/** capital-call create | issue | pay | cancel | show | list */
import type { Command } from 'commander';
import { newId } from '../../../../shared/ids';
import { formatCents, parseCents } from '../../../../shared/money';
import type { CapitalCallView } from '../../../../shared/api/views';
import type { Workstation } from '../../../core/workstation';
import { withWorkstation, type GlobalOptions } from '../context';
import { printJson, table } from '../output';

const MONEY = new Set(['amount', 'paid', 'outstanding', 'basisAmount']);

function printCall(call: CapitalCallView, json: boolean | undefined) {
  if (json) return printJson(call, MONEY);
  console.log(`capital call ${call.id} — ${call.fund_name}: ${call.currency} ${formatCents(call.amount)} called ${call.call_date}, due ${call.due_date}, ${call.effective_status}`);
  console.log(`paid ${formatCents(call.paid)}, outstanding ${formatCents(call.outstanding)}`);
  console.log(
    table(
      call.lines.map((l) => ({
        investor: `${l.investor_name} (${l.investor_id})`,
        commitment: formatCents(l.basis_amount),
        called: formatCents(l.amount),
        paid: formatCents(l.paid),
        outstanding: formatCents(l.outstanding),
      })),
      ['investor', 'commitment', 'called', 'paid', 'outstanding'],
    ),
  );
}

async function version(ws: Workstation, id: string) {
  return (await ws.getCapitalCall({ id })).version;
}

export function registerCapitalCallCommands(program: Command, globals: () => GlobalOptions) {
  const cc = program.command('capital-call').description('capital calls and LP payments');

  cc.command('create')
    .requiredOption('--fund <id>', 'fund id')
    .requiredOption('--amount <amount>', 'total called, e.g. 1500000')
    .requiredOption('--date <date>', 'call date YYYY-MM-DD')
    .requiredOption('--due <date>', 'due date YYYY-MM-DD')
    .option('--description <text>', 'purpose of the call', '')
    .option('--draft', 'leave the call as a draft instead of issuing it')
    .option('--id <id>', 'id of the new call (default: a new UUIDv7)')
    .option('--json', 'machine-readable output')
    .action(async (o: { fund: string; amount: string; date: string; due: string; description: string; draft?: boolean; id?: string; json?: boolean }) => {
      await withWorkstation(globals(), async (ws) => {
        const id = o.id ?? newId();
        await ws.mutate({
          name: 'createCapitalCall',
          args: { id, fundId: o.fund, amount: parseCents(o.amount, 'amount'), callDate: o.date, dueDate: o.due, description: o.description, issue: !o.draft },
        });
        printCall(await ws.getCapitalCall({ id }), o.json);
      });
    });

  cc.command('issue')
    .argument('<id>', 'capital call id')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { json?: boolean }) => {
      await withWorkstation(globals(), async (ws) => {
        await ws.mutate({ name: 'issueCapitalCall', args: { id, expectedVersion: await version(ws, id) } });
        printCall(await ws.getCapitalCall({ id }), o.json);
      });
    });

  cc.command('cancel')
    .argument('<id>', 'capital call id')
    .action(async (id: string) => {
      await withWorkstation(globals(), async (ws) => {
        await ws.mutate({ name: 'cancelCapitalCall', args: { id, expectedVersion: await version(ws, id) } });
        console.log(`capital call ${id} cancelled`);
      });
    });

  cc.command('pay')
    .requiredOption('--call <id>', 'capital call id')
    .requiredOption('--investor <id>', 'investor id')
    .requiredOption('--amount <amount>', 'amount paid')
    .requiredOption('--date <date>', 'payment date YYYY-MM-DD')
    .option('--id <id>', 'id of the payment (default: a new UUIDv7)')
    .option('--json', 'machine-readable output')
    .action(async (o: { call: string; investor: string; amount: string; date: string; id?: string; json?: boolean }) => {
      await withWorkstation(globals(), async (ws) => {
        await ws.mutate({
          name: 'recordPayment',
          args: { id: o.id ?? newId(), callId: o.call, investorId: o.investor, amount: parseCents(o.amount, 'amount'), date: o.date },
        });
        const call = await ws.getCapitalCall({ id: o.call });
        if (o.json) return printJson(call, MONEY);
        const line = call.lines.find((l) => l.investor_id === o.investor)!;
        console.log(`recorded ${formatCents(parseCents(o.amount))} from ${line.investor_name}; line outstanding ${formatCents(line.outstanding)}; call ${call.effective_status}, outstanding ${formatCents(call.outstanding)}`);
      });
    });

  cc.command('show')
    .argument('<id>', 'capital call id')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { json?: boolean }) => {
      await withWorkstation(globals(), async (ws) => printCall(await ws.getCapitalCall({ id }), o.json));
    });

  cc.command('list')
    .option('--fund <id>', 'fund id')
    .option('--json', 'machine-readable output')
    .action(async (o: { fund?: string; json?: boolean }) => {
      await withWorkstation(globals(), async (ws) => {
        const calls = await ws.listCapitalCalls({ fundId: o.fund });
        if (o.json) return printJson(calls, MONEY);
        console.log(
          table(
            calls.map((c) => ({ id: c.id, fund: c.fund_name, date: c.call_date, due: c.due_date, amount: formatCents(c.amount), outstanding: formatCents(c.outstanding), status: c.effective_status })),
            ['id', 'fund', 'date', 'due', 'amount', 'outstanding', 'status'],
          ),
        );
      });
    });
}
