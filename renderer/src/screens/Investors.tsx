/** Investors: per LP and fund — commitment, called, paid, unfunded; subtotals per currency. */
import { Fragment, useMemo, useState } from 'react';
import { api } from '../bridge/api';
import type { InvestorPositionView } from '../bridge/ui-contract';
import { Icon } from '../components/icons';
import { EmptyState, ErrorState, Skeleton } from '../components/ui';
import { fmtAmount, fmtPct } from '../lib/format';
import { useQuery } from '../lib/hooks';
import { href } from '../lib/router';

interface Group {
  investorId: string;
  investorName: string;
  rows: InvestorPositionView[];
  /** Subtotals per currency. */
  totals: Map<string, { commitment: number; called: number; paid: number; unfunded: number }>;
}

function group(rows: InvestorPositionView[]): Group[] {
  const by = new Map<string, Group>();
  for (const r of rows) {
    let g = by.get(r.investorId);
    if (!g) by.set(r.investorId, (g = { investorId: r.investorId, investorName: r.investorName, rows: [], totals: new Map() }));
    g.rows.push(r);
    const t = g.totals.get(r.currency) ?? { commitment: 0, called: 0, paid: 0, unfunded: 0 };
    t.commitment += r.commitment;
    t.called += r.called;
    t.paid += r.paid;
    t.unfunded += r.unfunded;
    g.totals.set(r.currency, t);
  }
  return [...by.values()];
}

function CalledBar({ called, commitment }: { called: number; commitment: number }) {
  const r = commitment > 0 ? called / commitment : 0;
  return (
    <span className="bar-cell">
      <span className="tnum">{fmtPct(commitment > 0 ? r : null, 0)}</span>
      <span className="minibar" aria-hidden="true">
        <span style={{ width: `${Math.min(100, r * 100)}%` }} />
      </span>
    </span>
  );
}

export function Investors() {
  const q = useQuery(() => api().investorPositions({}), [], ['investor', 'commitment', 'capital_call', 'capital_call_line', 'payment', 'fund']);
  const [search, setSearch] = useState('');
  const groups = useMemo(() => {
    const s = search.trim().toLowerCase();
    const rows = (q.data ?? []).filter((r) => !s || r.investorName.toLowerCase().includes(s) || r.fundName.toLowerCase().includes(s));
    return group(rows);
  }, [q.data, search]);
  const grand = useMemo(() => {
    const t = new Map<string, { commitment: number; called: number; paid: number; unfunded: number }>();
    for (const g of groups)
      for (const [cur, v] of g.totals) {
        const x = t.get(cur) ?? { commitment: 0, called: 0, paid: 0, unfunded: 0 };
        x.commitment += v.commitment;
        x.called += v.called;
        x.paid += v.paid;
        x.unfunded += v.unfunded;
        t.set(cur, x);
      }
    return t;
  }, [groups]);

  return (
    <div className="page" data-testid="screen-investors">
      <header className="page-head">
        <h1>Investors</h1>
        <span className="meta">{q.data ? `${groups.length} LPs · ${groups.reduce((n, g) => n + g.rows.length, 0)} commitments` : ''}</span>
        <span className="spacer" />
        <div className="search">
          <Icon.search />
          <input className="input" data-search type="search" placeholder="Search investors or funds…" aria-label="Search investors" value={search} onChange={(e) => setSearch(e.target.value)} />
          {!search && <kbd>/</kbd>}
        </div>
      </header>
      <div className="page-body">
        <section className="panel" style={{ overflow: 'hidden' }}>
          {q.error && !q.data ? (
            <ErrorState error={q.error} retry={q.reload} what="The investors could not be loaded" />
          ) : !q.data ? (
            <div className="panel-body">
              <Skeleton height={200} />
            </div>
          ) : q.data.length === 0 ? (
            <EmptyState title="No LP commitments yet">
              Import investors and commitments (<code>meridian import investors FILE</code>, then <code>commitments</code>); each LP's called, paid and unfunded amounts appear here.
            </EmptyState>
          ) : groups.length === 0 ? (
            <EmptyState title="Nothing matches your search">Clear the search to see every investor.</EmptyState>
          ) : (
            <table className="data" data-testid="investors-table">
              <thead>
                <tr>
                  <th>Investor / fund</th>
                  <th>Ccy</th>
                  <th className="num">Commitment</th>
                  <th className="num">Called</th>
                  <th className="num">% called</th>
                  <th className="num">Paid</th>
                  <th className="num">Outstanding</th>
                  <th className="num">Unfunded</th>
                </tr>
              </thead>
              <tbody>
                {groups.map((g) => (
                  <Fragment key={g.investorId}>
                    {[...g.totals].map(([cur, t], i) => (
                      <tr className="group" key={`${g.investorId}:${cur}`} data-investor-id={g.investorId}>
                        <td>{i === 0 ? g.investorName : ''}</td>
                        <td>{cur}</td>
                        <td className="num">{fmtAmount(t.commitment)}</td>
                        <td className="num">{fmtAmount(t.called)}</td>
                        <td className="num">
                          <CalledBar called={t.called} commitment={t.commitment} />
                        </td>
                        <td className="num">{fmtAmount(t.paid)}</td>
                        <td className={`num${t.called - t.paid > 0 ? ' neg' : ' zero'}`}>{fmtAmount(t.called - t.paid)}</td>
                        <td className="num">{fmtAmount(t.unfunded)}</td>
                      </tr>
                    ))}
                    {g.rows.map((r) => (
                      <tr key={`${r.investorId}:${r.fundId}`}>
                        <td style={{ paddingLeft: 24 }}>
                          <a href={href({ name: 'fund', fundId: r.fundId })}>{r.fundName}</a>
                        </td>
                        <td className="muted">{r.currency}</td>
                        <td className="num">{fmtAmount(r.commitment)}</td>
                        <td className="num">{fmtAmount(r.called)}</td>
                        <td className="num">
                          <CalledBar called={r.called} commitment={r.commitment} />
                        </td>
                        <td className="num">{fmtAmount(r.paid)}</td>
                        <td className={`num${r.called - r.paid > 0 ? ' neg' : ' zero'}`}>{fmtAmount(r.called - r.paid)}</td>
                        <td className="num">{fmtAmount(r.unfunded)}</td>
                      </tr>
                    ))}
                  </Fragment>
                ))}
              </tbody>
              <tfoot>
                {[...grand].map(([cur, t]) => (
                  <tr key={cur}>
                    <td>All investors</td>
                    <td>{cur}</td>
                    <td className="num">{fmtAmount(t.commitment)}</td>
                    <td className="num">{fmtAmount(t.called)}</td>
                    <td className="num">
                      <CalledBar called={t.called} commitment={t.commitment} />
                    </td>
                    <td className="num">{fmtAmount(t.paid)}</td>
                    <td className="num">{fmtAmount(t.called - t.paid)}</td>
                    <td className="num">{fmtAmount(t.unfunded)}</td>
                  </tr>
                ))}
              </tfoot>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}
