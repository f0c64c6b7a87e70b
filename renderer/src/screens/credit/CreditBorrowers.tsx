/** Credit: the borrowers (deals) with their latest statement, covenants and rating; a row opens the workspace. */
import { useMemo, useState } from 'react';
import { api } from '../../bridge/api';
import { Icon } from '../../components/icons';
import { EmptyState, ErrorState, Skeleton } from '../../components/ui';
import { fmtDate, fmtInstant } from '../../lib/format';
import { useQuery } from '../../lib/hooks';
import { href, navigate } from '../../lib/router';
import { CREDIT_ENTITIES } from './entities';
import './credit.css';

export function CreditBorrowers() {
  const q = useQuery(() => api().creditBorrowers({}), [], [...CREDIT_ENTITIES, 'deal']);
  const [search, setSearch] = useState('');
  const [all, setAll] = useState(false);

  const rows = useMemo(() => {
    const s = search.trim().toLowerCase();
    return (q.data ?? [])
      .filter((b) => all || b.statementCount > 0 || b.covenantCount > 0 || b.analysisCount > 0)
      .filter((b) => !s || b.name.toLowerCase().includes(s) || b.sector.toLowerCase().includes(s) || (b.finalRating ?? '').toLowerCase() === s);
  }, [q.data, search, all]);
  const withData = (q.data ?? []).filter((b) => b.statementCount > 0 || b.covenantCount > 0 || b.analysisCount > 0).length;

  return (
    <div className="page" data-testid="screen-credit">
      <header className="page-head">
        <h1>Credit</h1>
        <span className="meta">{q.data ? `${withData} borrowers with credit data · ${q.data.length} deals` : ''}</span>
        <span className="spacer" />
        <label className="meta credit-check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Show deals without credit data
        </label>
        <div className="search">
          <Icon.search />
          <input className="input" data-search type="search" placeholder="Search borrowers, sectors, ratings…" aria-label="Search borrowers" value={search} onChange={(e) => setSearch(e.target.value)} />
          {!search && <kbd>/</kbd>}
        </div>
      </header>
      <div className="page-body">
        <section className="panel" style={{ overflow: 'hidden' }}>
          {q.error && !q.data ? (
            <ErrorState error={q.error} retry={q.reload} what="The borrowers could not be loaded" />
          ) : !q.data ? (
            <div className="panel-body">
              <Skeleton height={200} />
            </div>
          ) : rows.length === 0 ? (
            withData === 0 && !all ? (
              <EmptyState title="No credit data yet">
                Import borrower financials with <code>meridian import financials FILE</code> (see docs/examples/financials.csv), or tick “Show deals without credit data” and open a deal to enter its figures.
              </EmptyState>
            ) : (
              <EmptyState title="Nothing matches your search">Clear the search to see every borrower.</EmptyState>
            )
          ) : (
            <table className="data" data-testid="borrowers-table">
              <thead>
                <tr>
                  <th>Borrower</th>
                  <th>Sector</th>
                  <th>Ccy</th>
                  <th className="num">Statements</th>
                  <th>Latest period</th>
                  <th className="num">Covenants</th>
                  <th className="num">Versions</th>
                  <th>Rating</th>
                  <th>Last analysed</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((b) => (
                  <tr key={b.borrowerId} className="clickable" data-borrower-id={b.borrowerId} onClick={() => navigate({ name: 'borrower', borrowerId: b.borrowerId })}>
                    <td>
                      <a href={href({ name: 'borrower', borrowerId: b.borrowerId })}>{b.name}</a>
                    </td>
                    <td className="muted">{b.sector || '—'}</td>
                    <td className="muted">{b.currency ?? '—'}</td>
                    <td className={`num${b.statementCount ? '' : ' zero'}`}>{b.statementCount}</td>
                    <td className="tnum">{fmtDate(b.latestPeriodEnd)}</td>
                    <td className={`num${b.covenantCount ? '' : ' zero'}`}>{b.covenantCount}</td>
                    <td className={`num${b.analysisCount ? '' : ' zero'}`}>{b.analysisCount}</td>
                    <td>{b.finalRating ? <span className="rating-chip">{b.finalRating.toUpperCase()}</span> : <span className="faint">not rated</span>}</td>
                    <td className="tnum muted">{b.lastAnalysedAt ? fmtInstant(b.lastAnalysedAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}
