// Credit data through the real sync protocol: two analysts' laptops (SQLite)
// against one server (PostgreSQL or PGlite). Versions and comments made on
// one reach the other; the server numbers versions; insert-only rows cannot
// be overwritten by a later push; methodology revisions need an admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAnalysisInputs } from '../../electron/core/credit/analysis-inputs';
import { creditWorkspace, getCreditAnalysis, getCreditAnalysisByVersion, methodologyInForce } from '../../electron/core/credit/read-models';
import { creditReport } from '../../electron/core/credit/report';
import { DEFAULT_METHODOLOGY } from '../../shared/domain/credit';
import { checkInvariants, World, type TestClient } from '../sync/support';
import { HARBOR } from '../unit/credit/fixtures';

let world: World;
let a: TestClient;
let b: TestClient;
let admin: TestClient;

const { borrower_id: _b, period_end: _p, period_type: _t, currency: _c, ...FIGURES } = HARBOR;

function inputs(c: TestClient, override: { rating: string; reason: string } | null = null) {
  return buildAnalysisInputs(c.db.raw, { borrowerId: 'ACME', override });
}

beforeAll(async () => {
  world = await World.create();
  a = await world.client({ role: 'analyst' });
  b = await world.client({ role: 'analyst' });
  admin = await world.client({ role: 'admin' });
}, 60_000);

afterAll(async () => {
  await world?.close();
});

describe('credit sync', () => {
  it('client A saves versions 1 and 2 and a comment; client B syncs and sees them', async () => {
    await a.mustMutate('createDeal', { id: 'ACME', name: 'Acme Robotics' });
    await a.mustMutate('upsertFinancialStatement', { id: 'st-1', borrowerId: 'ACME', periodEnd: '2024-12-31', periodType: 'LTM', currency: 'USD', figures: FIGURES });
    await a.mustMutate('upsertCovenant', { id: 'cov-lev', borrowerId: 'ACME', facility: 'Unitranche', metric: 'total_leverage', threshold: 6 });
    await a.mustMutate('upsertCovenant', { id: 'cov-ic', borrowerId: 'ACME', facility: 'Unitranche', metric: 'interest_coverage', threshold: 2 });
    const first = inputs(a);
    await a.mustMutate('saveCreditAnalysis', { id: 'an-1', borrowerId: 'ACME', statementId: first.statementId, inputs: first.inputs, recommendation: 'Approve.' });
    const second = inputs(a, { rating: 'b', reason: 'Sponsor support is weak.' });
    await a.mustMutate('saveCreditAnalysis', { id: 'an-2', borrowerId: 'ACME', statementId: second.statementId, inputs: second.inputs, recommendation: 'Approve, watch list.' });
    await a.mustMutate('addCreditComment', { id: 'cm-1', analysisId: 'an-2', body: 'Override agreed in committee.' });
    await a.mustSync();
    expect(a.client.store.pendingCount()).toBe(0);
    expect(a.version('credit_analysis', 'an-2')).toBeGreaterThan(0);

    await b.mustSync();
    const w = creditWorkspace(b.db.raw, 'ACME');
    expect(w.statements.map((s) => [s.id, s.ebitda, s.floating_rate_share])).toEqual([['st-1', 40_000_000_00, 0.8]]);
    expect(w.covenants.map((c) => c.id)).toEqual(['cov-ic', 'cov-lev']);
    expect(w.analyses.map((x) => [x.id, x.analysis_version, x.final_rating, x.commentCount])).toEqual([
      ['an-2', 2, 'b', 1],
      ['an-1', 1, 'b+', 0],
    ]);
    expect(w.comments).toMatchObject([{ id: 'cm-1', analysis_id: 'an-2', analysis_version: 2, author: a.user.id, body: 'Override agreed in committee.' }]);
    // The frozen inputs and outputs arrive byte for byte.
    expect(getCreditAnalysis(b.db.raw, 'an-2')).toEqual(getCreditAnalysis(a.db.raw, 'an-2'));
    expect(getCreditAnalysis(b.db.raw, 'an-1').outputs.covenants.map((t) => t.status)).toEqual(['pass', 'pass']);
    // B's report sees the synced data and A's latest version.
    expect(creditReport(b.db.raw, { borrowerId: 'ACME' }).latest_analysis).toMatchObject({ id: 'an-2', final_rating: 'b', rating_override: 'b' });
    await checkInvariants(world, { clients: [a, b] });
  });

  it('versions made offline on both laptops are numbered by the server, in push order', async () => {
    b.transport.offline = true;
    await b.mustMutate('saveCreditAnalysis', { id: 'an-b', borrowerId: 'ACME', ...pick(inputs(b)), recommendation: 'B’s view.' });
    expect(b.row('credit_analysis', 'an-b')?.analysis_version).toBe(3); // optimistic
    await a.mustMutate('saveCreditAnalysis', { id: 'an-a', borrowerId: 'ACME', ...pick(inputs(a)), recommendation: 'A’s view.' });
    await a.mustSync();
    await world.quiesce([a, b]);
    for (const c of [a, b]) {
      expect(getCreditAnalysisByVersion(c.db.raw, 'ACME', 3).id).toBe('an-a');
      expect(getCreditAnalysisByVersion(c.db.raw, 'ACME', 4).id).toBe('an-b');
    }
    await checkInvariants(world, { clients: [a, b] });
  });

  it('insert-only rows cannot be overwritten: a second write of the same id is rejected by the server', async () => {
    // Both laptops write comment cm-2 and analysis an-x before seeing each other's.
    b.transport.offline = true;
    await a.mustMutate('addCreditComment', { id: 'cm-2', analysisId: 'an-1', body: 'A wrote this.' });
    await a.mustMutate('saveCreditAnalysis', { id: 'an-x', borrowerId: 'ACME', ...pick(inputs(a)), recommendation: 'A.' });
    await a.mustSync();
    await b.mustMutate('addCreditComment', { id: 'cm-2', analysisId: 'an-1', body: 'B tried to overwrite.' });
    await b.mustMutate('saveCreditAnalysis', { id: 'an-x', borrowerId: 'ACME', ...pick(inputs(b, { rating: 'ccc', reason: 'B disagrees.' })), recommendation: 'B.' });
    await world.quiesce([a, b]);
    const rejected = b.db.raw.prepare<[], { name: string; code: string }>('SELECT name, code FROM rejection ORDER BY mutation_id').all();
    expect(rejected).toEqual([
      { name: 'addCreditComment', code: 'DUPLICATE' },
      { name: 'saveCreditAnalysis', code: 'DUPLICATE' },
    ]);
    for (const c of [a, b]) {
      expect(c.row('credit_comment', 'cm-2')).toMatchObject({ body: 'A wrote this.', author: a.user.id });
      expect(c.row('credit_analysis', 'an-x')).toMatchObject({ recommendation: 'A.', final_rating: 'b+', analysis_version: 5 });
    }
    await checkInvariants(world, { clients: [a, b] });
  });

  it('a methodology revision needs an admin, and then reaches every analyst', async () => {
    const m = { ...DEFAULT_METHODOLOGY, id: 'house', name: 'House scorecard' };
    expect(await a.mutate('saveScorecardMethodology', { id: 'hm-1', methodology: m })).toMatchObject({ code: 'ROLE_FORBIDDEN' });
    await admin.mustMutate('saveScorecardMethodology', { id: 'hm-1', methodology: m });
    await world.quiesce([a, b, admin]);
    expect(methodologyInForce(b.db.raw).methodology).toMatchObject({ id: 'house', version: 1 });
    // Audited on the server (a financial mutation), like analysis versions.
    const audit = await world.server.kysely.selectFrom('audit_log').select(['mutation', 'entity', 'entity_id']).where('mutation', '=', 'saveScorecardMethodology').execute();
    expect(audit).toEqual([{ mutation: 'saveScorecardMethodology', entity: 'scorecard_methodology', entity_id: 'hm-1' }]);
    await checkInvariants(world, { clients: [a, b, admin] });
  });
});

function pick(x: ReturnType<typeof inputs>) {
  return { statementId: x.statementId, inputs: x.inputs };
}
