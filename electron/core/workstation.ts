/**
 * The workstation: one local profile database and everything an analyst
 * does with it — mutations, reads, metrics, imports and exports as jobs.
 * Hosted by electron/main, the web host and the CLI; it implements the
 * contract in shared/api.
 */
import { EventEmitter } from 'node:events';
import { openSqlite, type LocalDatabase } from '../../db/sqlite/open';
import type { z } from 'zod';
// The core piece of the contract (shared/api/contract.ts composes it with the host-provided pieces).
import {
  coreContractInputs as contractInputs,
  type CoreContractEvents as ContractEvents,
  type CoreContractInput as ContractInput,
  type CoreContractMethod as ContractMethod,
  type WorkstationApi,
} from '../../shared/api/core-contract';
import type { CallPreviewView, FundMetricsView, FundSummaryView } from '../../shared/api/views';
import { businessDateOf } from '../../shared/dates';
import type { FundRow } from '../../shared/domain/entities';
import { MeridianError } from '../../shared/errors';
import { splitProRata } from '../../shared/finance';
import { countedTotalsSync } from './rules-data';
import { checkAllocation } from '../../shared/rules/engine';
import { loadRules, type Actor } from '../../shared/mutators';
import { parseOrThrow } from '../../shared/validation';
import { exportAllocationsCsv, exportCapitalCallCsv } from './exports/export-csv';
import { importCsv } from './imports/import-csv';
import { boundServer } from './sync/profile-sync';
import { JobRunner } from './jobs';
import { WriteLock } from './write-lock';
import { applyLocalMutation } from './local-mutations';
import { fundMetrics, listIndexNames, loadIndexSeries } from './metrics';
import * as read from './read-models';

export interface WorkstationOptions {
  /** Who acts locally; the server re-checks every mutation under its own roles. */
  actor?: Actor;
  /** Today's business date (tests); defaults to the machine's UTC date. */
  today?: () => string;
}

/** A standalone profile not yet signed in acts with full local rights; the server decides on sync. */
export const LOCAL_ACTOR: Actor = { userId: 'local', role: 'admin' };

export class Workstation implements WorkstationApi {
  readonly events = new EventEmitter<{ [K in keyof ContractEvents]: [ContractEvents[K]] }>();
  readonly jobs = new JobRunner();
  /** Serialises every write to the profile (mutations, imports, sync). */
  readonly writes = new WriteLock();
  actor: Actor;
  private readonly today: () => string;

  private constructor(
    readonly db: LocalDatabase,
    options: WorkstationOptions,
  ) {
    this.actor = options.actor ?? LOCAL_ACTOR;
    this.today = options.today ?? (() => businessDateOf(new Date()));
    this.jobs.on('progress', (p) => this.events.emit('jobProgress', p));
  }

  static open(dbFile: string, options: WorkstationOptions = {}): Workstation {
    return new Workstation(openSqlite(dbFile), options);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  private input<M extends ContractMethod>(method: M, value: unknown): z.output<(typeof contractInputs)[M]> {
    return parseOrThrow(contractInputs[method] as z.ZodType, value ?? {}, `${method} input`) as z.output<(typeof contractInputs)[M]>;
  }

  private changed(entities: string[]) {
    this.events.emit('dataChanged', { entities: [...new Set(entities)] });
  }

  private fund(id: string): FundRow {
    const f = this.db.raw.prepare<[string], FundRow>('SELECT * FROM fund WHERE id = ? AND deleted_at IS NULL').get(id);
    if (!f) throw new MeridianError('NOT_FOUND', `fund ${id} does not exist`, { fundId: id });
    return f;
  }

  async listFunds(input: ContractInput<'listFunds'> = {}): Promise<FundSummaryView[]> {
    const { asOf = this.today() } = this.input('listFunds', input);
    const funds = this.db.raw.prepare<[], FundRow>('SELECT * FROM fund WHERE deleted_at IS NULL ORDER BY name').all();
    return funds.map((f) => ({ ...f, metrics: fundMetrics(this.db.raw, f.id, asOf) }));
  }

  async fundMetrics(input: ContractInput<'fundMetrics'>): Promise<FundMetricsView> {
    const { fundId, asOf = this.today(), index } = this.input('fundMetrics', input);
    let series;
    if (index) {
      series = loadIndexSeries(this.db.raw, index);
      if (!series) throw new MeridianError('NOT_FOUND', `benchmark index "${index}" has no levels; import it first (meridian import index FILE)`, { index });
    }
    return fundMetrics(this.db.raw, fundId, asOf, series);
  }

  async listDeals() {
    return read.listDeals(this.db.raw);
  }

  async listInvestors() {
    return read.listInvestors(this.db.raw);
  }

  async listIndexNames() {
    return listIndexNames(this.db.raw);
  }

  async listAllocations(input: ContractInput<'listAllocations'> = {}) {
    const { fundId } = this.input('listAllocations', input);
    if (fundId) this.fund(fundId);
    return read.listAllocations(this.db.raw, fundId);
  }

  async listCapitalCalls(input: ContractInput<'listCapitalCalls'> = {}) {
    const { fundId } = this.input('listCapitalCalls', input);
    return read.listCapitalCalls(this.db.raw, this.today(), fundId);
  }

  async getCapitalCall(input: ContractInput<'getCapitalCall'>) {
    const { id } = this.input('getCapitalCall', input);
    return read.getCapitalCall(this.db.raw, id, this.today());
  }

  /** The split a call of `amount` would make, before anything is written. */
  async previewCapitalCall(input: ContractInput<'previewCapitalCall'>): Promise<CallPreviewView> {
    const { fundId, amount } = this.input('previewCapitalCall', input);
    const fund = this.fund(fundId);
    const commitments = this.db.raw
      .prepare<[string], { investor_id: string; name: string; amount: number }>(
        `SELECT c.investor_id, i.name, c.amount FROM commitment c JOIN investor i ON i.id = c.investor_id
         WHERE c.fund_id = ? AND c.deleted_at IS NULL AND c.amount > 0 ORDER BY c.investor_id`,
      )
      .all(fundId);
    if (!commitments.length) throw new MeridianError('NO_COMMITMENTS', `${fund.name} has no LP commitments to call capital from.`, { fundId });
    const split = splitProRata(amount, commitments.map((c) => ({ key: c.investor_id, weight: c.amount })));
    const lines = split.map((s, i) => ({ investorId: s.key, investorName: commitments[i]!.name, commitment: commitments[i]!.amount, amount: s.amount }));
    return { fundId, amount, currency: fund.currency, lines, total: lines.reduce((t, l) => t + l.amount, 0) };
  }

  /** The rules engine's verdict on an allocation amount, for instant feedback before saving. */
  async checkAllocation(input: ContractInput<'checkAllocation'>) {
    const { fundId, dealId, amount, excludeId } = this.input('checkAllocation', input);
    const fund = this.fund(fundId);
    const deal = this.db.raw.prepare<[string], { name: string }>('SELECT name FROM deal WHERE id = ?').get(dealId);
    const rules = await loadRules(this.db.kysely);
    const totals = countedTotalsSync(this.db.raw, fundId, dealId, excludeId ?? '');
    return checkAllocation(rules, { fund, dealName: deal?.name, ...totals, amount });
  }

  async mutate(input: ContractInput<'mutate'>) {
    const { name, args } = this.input('mutate', input);
    const r = await this.writes.run(() => applyLocalMutation(this.db, this.actor, name, args));
    this.changed(r.changes.map((c) => c.entity));
    return { mutationId: r.mutationId, name: r.name, result: r.result };
  }

  async importCsv(input: ContractInput<'importCsv'>) {
    const { kind, file, skipInvalid } = this.input('importCsv', input);
    // A profile bound to a server queues the rows as import mutations, so they sync (docs/imports-exports.md).
    const sync = boundServer(this.db) !== null ? { actor: this.actor } : undefined;
    const job = this.jobs.start(`import ${kind}`, (signal, progress) =>
      this.writes.run(() => importCsv(this.db, kind, file, { skipInvalid, signal, onProgress: (p) => progress(p.done, p.total), userId: this.actor.userId, sync })),
    );
    const report = await job.result;
    if (report.imported > 0) this.changed([kind]);
    return report;
  }

  async exportCsv(input: ContractInput<'exportCsv'>) {
    const { kind, file, fundId, id, bom } = this.input('exportCsv', input);
    const job = this.jobs.start(`export ${kind}`, async () => {
      if (kind === 'allocations') return exportAllocationsCsv(this.db, { fundId }, file, { bom });
      if (!id) throw new MeridianError('INVALID_INPUT', 'exporting a capital call needs its id', {}, [{ code: 'INVALID_INPUT', path: 'id', message: 'id: required for a capital-call export' }]);
      return exportCapitalCallCsv(this.db, { callId: id }, file, { bom });
    });
    return job.result;
  }

  async cancelJob(input: ContractInput<'cancelJob'>) {
    return this.jobs.cancel(this.input('cancelJob', input).jobId);
  }
}
