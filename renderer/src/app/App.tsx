/** The workstation shell: navigation, the current screen, the status bar, shortcuts. */
import { lazy, Suspense, useEffect, useState } from 'react';
import { ROLE_LABEL } from '../../../shared/domain/roles';
import { api } from '../bridge/api';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { Icon } from '../components/icons';
import { Modal } from '../components/ui';
import { useEventState } from '../lib/hooks';
import { href, navigate, useRoute, type Route } from '../lib/router';
import type { ThemePreference } from '../lib/theme';
import { StatusBar } from '../shell/StatusBar';
import { useApp } from './context';

// Screens load on first use: the window opens without parsing the grid and chart libraries it does not show yet.
const FundsOverview = lazy(() => import('../screens/FundsOverview').then((m) => ({ default: m.FundsOverview })));
const FundDetail = lazy(() => import('../screens/FundDetail').then((m) => ({ default: m.FundDetail })));
const CapitalCalls = lazy(() => import('../screens/CapitalCalls').then((m) => ({ default: m.CapitalCalls })));
const CallWizard = lazy(() => import('../screens/CallWizard').then((m) => ({ default: m.CallWizard })));
const Investors = lazy(() => import('../screens/Investors').then((m) => ({ default: m.Investors })));
const Inbox = lazy(() => import('../screens/Inbox').then((m) => ({ default: m.Inbox })));
const CreditBorrowers = lazy(() => import('../screens/credit/CreditBorrowers').then((m) => ({ default: m.CreditBorrowers })));
const SignIn = lazy(() => import('../screens/sign-in/SignIn').then((m) => ({ default: m.SignIn })));
const CreditWorkspace = lazy(() => import('../screens/credit/CreditWorkspace').then((m) => ({ default: m.CreditWorkspace })));

const NAV: { route: Route; label: string; icon: keyof typeof Icon; key: string; match: Route['name'][] }[] = [
  { route: { name: 'funds' }, label: 'Funds', icon: 'funds', key: '1', match: ['funds', 'fund'] },
  { route: { name: 'calls' }, label: 'Capital calls', icon: 'calls', key: '2', match: ['calls', 'newCall'] },
  { route: { name: 'investors' }, label: 'Investors', icon: 'investors', key: '3', match: ['investors'] },
  { route: { name: 'credit' }, label: 'Credit', icon: 'credit', key: '5', match: ['credit', 'borrower'] },
  { route: { name: 'inbox' }, label: 'Rejection inbox', icon: 'inbox', key: '4', match: ['inbox'] },
];

function initials(name: string) {
  return (
    name
      .replace(/\(.*\)/, '')
      .split(/[\s@._-]+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0]!.toUpperCase())
      .join('') || '?'
  );
}

export function App({ preference, setPreference }: { preference: ThemePreference; setPreference: (p: ThemePreference) => void }) {
  const route = useRoute();
  const { session } = useApp();
  const sync = useEventState('syncStatus', () => api().syncStatus({}));
  const [help, setHelp] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      const typing = t.closest('input, textarea, select, [contenteditable="true"], .ag-cell-inline-editing');
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        const n = NAV.find((x) => e.code === `Digit${x.key}`);
        if (n) {
          e.preventDefault();
          navigate(n.route);
        }
        return;
      }
      if (typing || e.ctrlKey || e.metaKey) return;
      if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('[data-search]');
        if (search) {
          e.preventDefault();
          search.focus();
          search.select();
        }
      } else if (e.key === '?') {
        setHelp(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  let screen;
  switch (route.name) {
    case 'funds':
      screen = <FundsOverview />;
      break;
    case 'fund':
      screen = <FundDetail key={route.fundId} fundId={route.fundId} />;
      break;
    case 'calls':
      screen = <CapitalCalls callId={route.callId} fundId={route.fundId} />;
      break;
    case 'newCall':
      screen = <CallWizard fundId={route.fundId} />;
      break;
    case 'investors':
      screen = <Investors />;
      break;
    case 'inbox':
      screen = <Inbox />;
      break;
    case 'credit':
      screen = <CreditBorrowers />;
      break;
    case 'borrower':
      screen = <CreditWorkspace key={route.borrowerId} borrowerId={route.borrowerId} />;
      break;
    case 'signIn':
      screen = <SignIn next={route.next} />;
      break;
  }

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Meridian
          <small>{session?.host === 'web' ? 'Web' : ''}</small>
        </div>
        <div className="nav">
          <div className="nav-section">Portfolio</div>
          {NAV.slice(0, 4).map((n) => {
            const I = Icon[n.icon]!;
            return (
              <a key={n.label} href={href(n.route)} aria-current={n.match.includes(route.name) ? 'page' : undefined} title={`${n.label} (Alt+${n.key})`}>
                <I />
                {n.label}
                <span className="kbd">⌥{n.key}</span>
              </a>
            );
          })}
          <div className="nav-section">Sync</div>
          {NAV.slice(4).map((n) => {
            const I = Icon[n.icon]!;
            return (
              <a key={n.label} href={href(n.route)} aria-current={n.match.includes(route.name) ? 'page' : undefined} title={`${n.label} (Alt+${n.key})`} data-testid="nav-inbox">
                <I />
                {n.label}
                {sync && sync.rejections > 0 ? <span className="count">{sync.rejections}</span> : <span className="kbd">⌥{n.key}</span>}
              </a>
            );
          })}
        </div>
        <div className="sidebar-foot">
          <div className="theme-switch" role="group" aria-label="Theme">
            {(['system', 'light', 'dark'] as const).map((p) => (
              <button key={p} aria-pressed={preference === p} onClick={() => setPreference(p)}>
                {p === 'system' ? 'Auto' : p === 'light' ? 'Light' : 'Dark'}
              </button>
            ))}
          </div>
          {session && (
            <div className="user" data-testid="session" data-role={session.role}>
              <span className="avatar">{initials(session.displayName)}</span>
              <span>
                <div>{session.displayName}</div>
                <div className="user-role">{ROLE_LABEL[session.role].replace(/^./, (c) => c.toUpperCase())}</div>
              </span>
            </div>
          )}
          <button className="btn ghost sm" style={{ color: 'inherit', justifyContent: 'flex-start' }} onClick={() => setHelp(true)}>
            Keyboard shortcuts <kbd style={{ marginLeft: 'auto' }}>?</kbd>
          </button>
        </div>
      </nav>
      <main className="main" id="main">
        <ErrorBoundary key={location.hash}>
          <Suspense fallback={<div className="page" aria-busy="true" />}>{screen}</Suspense>
        </ErrorBoundary>
      </main>
      <StatusBar />
      {help && (
        <Modal title="Keyboard shortcuts" onClose={() => setHelp(false)}>
          <div className="shortcuts">
            <kbd>Alt+1…5</kbd>
            <span>Funds, Capital calls, Investors, Rejection inbox, Credit</span>
            <kbd>/</kbd>
            <span>Search the current list</span>
            <kbd>Arrows</kbd>
            <span>Move between cells (grid) or fund cards</span>
            <kbd>Enter / F2</kbd>
            <span>Open a fund; edit the focused cell</span>
            <kbd>Esc</kbd>
            <span>Cancel an edit, close a dialog or panel</span>
            <kbd>?</kbd>
            <span>This list</span>
          </div>
        </Modal>
      )}
    </div>
  );
}
