/** Funds overview: one card per fund — size, committed, called, utilisation against the cap, IRR, TVPI, DPI. */
import { useRef, type KeyboardEvent } from 'react';
import type { FundSummaryView } from '../../../shared/api/views';
import type { BusinessRules } from '../../../shared/rules/business-rules';
import { utilisationHeadroom } from '../../../shared/rules/engine';
import { useApp } from '../app/context';
import { api } from '../bridge/api';
import { ExportCsvButton, tableExport } from '../components/ReportActions';
import { EmptyState, ErrorState, Gauge, Kpi, Skeleton } from '../components/ui';
import { fmtCompact, fmtMillions, fmtMoney, fmtMultiple, fmtPct } from '../lib/format';
import { useQuery } from '../lib/hooks';
import { prefetchFirstPage } from '../lib/prefetch';
import { href, navigate } from '../lib/router';

const FUND_ENTITIES = ['fund', 'allocation', 'commitment', 'capital_call', 'capital_call_line', 'payment', 'contribution', 'distribution', 'nav_mark'];

function byCurrency(funds: FundSummaryView[], pick: (f: FundSummaryView) => number): [string, number][] {
  const m = new Map<string, number>();
  for (const f of funds) m.set(f.currency, (m.get(f.currency) ?? 0) + pick(f));
  return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function Totals({ funds, pick }: { funds: FundSummaryView[]; pick: (f: FundSummaryView) => number }) {
  const rows = byCurrency(funds, pick);
  return (
    <>
      {rows.map(([cur, v]) => (
        <div key={cur} className="v tnum" title={fmtMoney(v, cur)}>
          {fmtCompact(v, cur)}
        </div>
      ))}
    </>
  );
}

/** Arrow keys move between cards in reading order, by rows as laid out. */
function onCardKey(e: KeyboardEvent<HTMLButtonElement>) {
  const cards = [...(e.currentTarget.parentElement?.querySelectorAll<HTMLButtonElement>('.card') ?? [])];
  const i = cards.indexOf(e.currentTarget);
  const perRow = cards.filter((c) => c.offsetTop === cards[0]!.offsetTop).length || 1;
  const move = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: perRow, ArrowUp: -perRow }[e.key];
  if (move === undefined) return;
  e.preventDefault();
  cards[Math.max(0, Math.min(cards.length - 1, i + move))]?.focus();
}

function FundCard({ fund, rules }: { fund: FundSummaryView; rules: BusinessRules }) {
  const m = fund.metrics;
  const capPct = rules.maxFundUtilisationPct;
  const headroom = Math.max(0, utilisationHeadroom(rules, fund.size, m.allocated));
  const calledRatio = m.committed > 0 ? m.called / m.committed : null;
  return (
    <button
      className="card"
      onClick={() => navigate({ name: 'fund', fundId: fund.id })}
      onPointerEnter={() => prefetchFirstPage(fund.id)}
      onFocus={() => prefetchFirstPage(fund.id)}
      onKeyDown={onCardKey} data-testid="fund-card" data-fund-id={fund.id} aria-label={`${fund.name}, open fund`}>
      <div className="card-head">
        <h3>{fund.name}</h3>
        <span className="tag">
          {fund.currency} · {fund.vintage}
        </span>
      </div>
      <div className="kv-row">
        <Kpi label="Size" value={fmtCompact(fund.size, fund.currency)} title={fmtMoney(fund.size, fund.currency)} />
        <Kpi label="Committed" value={fmtCompact(m.committed, fund.currency)} title={fmtMoney(m.committed, fund.currency)} sub={fund.size > 0 ? `${fmtPct(m.committed / fund.size, 0)} of size` : undefined} />
        <Kpi label="Called" value={fmtCompact(m.called, fund.currency)} title={fmtMoney(m.called, fund.currency)} sub={calledRatio !== null ? `${fmtPct(calledRatio, 0)} of committed` : undefined} />
      </div>
      <Gauge
        ratio={m.utilisation}
        capPct={capPct}
        left={`Allocated ${fmtCompact(m.allocated, fund.currency)}`}
        right={`Headroom ${fmtCompact(headroom, fund.currency)}`}
      />
      <div className="perf">
        <Kpi label="Net IRR" value={<span className={m.irr !== null && m.irr < 0 ? 'neg' : undefined}>{fmtPct(m.irr)}</span>} />
        <Kpi label="TVPI" value={fmtMultiple(m.tvpi)} />
        <Kpi label="DPI" value={fmtMultiple(m.dpi)} />
      </div>
    </button>
  );
}

/** Every fund side by side: the figures an investment committee pack starts from. */
function Comparison({ funds, asOf }: { funds: FundSummaryView[]; asOf: string }) {
  const table = useRef<HTMLTableElement>(null);
  return (
    <section className="panel" aria-label="Fund comparison">
      <div className="panel-head">
        <h2>Comparison</h2>
        <span className="sub">amounts in each fund's currency, millions</span>
        <span className="spacer" />
        <ExportCsvButton className="btn sm" collect={() => (table.current ? tableExport(table.current) : null)} suggestedName={() => `funds-${asOf}.csv`} what="funds" testId="export-funds" />
      </div>
      <table className="data" data-testid="fund-table" ref={table}>
        <thead>
          <tr>
            <th>Fund</th>
            <th>Ccy</th>
            <th className="num">Vintage</th>
            <th className="num">Size</th>
            <th className="num">Committed</th>
            <th className="num">Called</th>
            <th className="num">Paid in</th>
            <th className="num">Distributed</th>
            <th className="num">NAV</th>
            <th className="num">Unfunded</th>
            <th className="num">Utilisation</th>
            <th className="num">Net IRR</th>
            <th className="num">TVPI</th>
            <th className="num">DPI</th>
            <th className="num">RVPI</th>
          </tr>
        </thead>
        <tbody>
          {funds.map((f) => {
            const m = f.metrics;
            const mm = (c: number) => <span title={fmtMoney(c, f.currency)}>{fmtMillions(c)}</span>;
            return (
              <tr key={f.id} className="clickable" onClick={() => navigate({ name: 'fund', fundId: f.id })}>
                <td>
                  <a href={href({ name: 'fund', fundId: f.id })} onClick={(e) => e.stopPropagation()}>
                    {f.name}
                  </a>
                </td>
                <td className="muted">{f.currency}</td>
                <td className="num">{f.vintage}</td>
                <td className="num">{mm(f.size)}</td>
                <td className="num">{mm(m.committed)}</td>
                <td className="num">{mm(m.called)}</td>
                <td className="num">{mm(m.pic)}</td>
                <td className="num">{mm(m.distributions)}</td>
                <td className="num">{mm(m.nav)}</td>
                <td className="num">{mm(m.unfunded)}</td>
                <td className="num">{fmtPct(m.utilisation)}</td>
                <td className={`num${m.irr !== null && m.irr < 0 ? ' neg' : ''}`}>{fmtPct(m.irr)}</td>
                <td className="num">{fmtMultiple(m.tvpi)}</td>
                <td className="num">{fmtMultiple(m.dpi)}</td>
                <td className="num">{fmtMultiple(m.rvpi)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function FundsOverview() {
  const { rules, session } = useApp();
  const funds = useQuery(() => api().listFunds({}), [], FUND_ENTITIES);
  const list = funds.data ?? [];

  return (
    <div className="page" data-testid="screen-funds">
      <header className="page-head">
        <h1>Funds</h1>
        <span className="meta">
          {funds.data ? `${list.length} fund${list.length === 1 ? '' : 's'}` : ''}
          {session ? ` · as of ${session.today}` : ''}
        </span>
        <span className="spacer" />
        <button className="btn" onClick={() => navigate({ name: 'newCall' })}>
          New capital call
        </button>
      </header>
      <div className="page-body">
        {funds.error && !funds.data ? (
          <ErrorState error={funds.error} retry={funds.reload} what="The funds could not be loaded" />
        ) : !funds.data ? (
          <div className="cards">
            {[0, 1, 2, 3].map((i) => (
              <div className="card" key={i} style={{ cursor: 'default' }}>
                <Skeleton height={16} width="55%" />
                <Skeleton height={34} />
                <Skeleton height={22} />
                <Skeleton height={34} />
              </div>
            ))}
          </div>
        ) : list.length === 0 ? (
          <EmptyState title="No funds in this profile yet">
            Import your funds with <code>meridian import funds FILE</code> (then deals, investors, commitments and allocations), or start the web host on a new profile to get demo data.
          </EmptyState>
        ) : (
          <>
            <div className="summary-strip" data-testid="portfolio-summary">
              <div className="kpi">
                <div className="k">Funds</div>
                <div className="v tnum">{list.length}</div>
                <div className="s">{new Set(list.map((f) => f.currency)).size} currenc{new Set(list.map((f) => f.currency)).size === 1 ? 'y' : 'ies'}</div>
              </div>
              <div className="kpi">
                <div className="k">Total size</div>
                <Totals funds={list} pick={(f) => f.size} />
              </div>
              <div className="kpi">
                <div className="k">Committed</div>
                <Totals funds={list} pick={(f) => f.metrics.committed} />
              </div>
              <div className="kpi">
                <div className="k">Called</div>
                <Totals funds={list} pick={(f) => f.metrics.called} />
              </div>
              <div className="kpi">
                <div className="k">NAV</div>
                <Totals funds={list} pick={(f) => f.metrics.nav} />
              </div>
            </div>
            <div className="cards" role="list">
              {list.map((f) => (
                <FundCard key={f.id} fund={f} rules={rules} />
              ))}
            </div>
            <Comparison funds={list} asOf={session?.today ?? ''} />
          </>
        )}
      </div>
    </div>
  );
}
