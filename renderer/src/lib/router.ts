/** Hash routes (#/funds/ID): no server routes needed, deep links survive reloads. */
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'funds' }
  | { name: 'fund'; fundId: string }
  | { name: 'calls'; callId?: string; fundId?: string }
  | { name: 'newCall'; fundId?: string }
  | { name: 'investors' }
  | { name: 'inbox' }
  | { name: 'credit' }
  | { name: 'borrower'; borrowerId: string }
  | { name: 'signIn'; next?: string };

export function parseRoute(hash: string): Route {
  const [pathPart = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const q = new URLSearchParams(query);
  switch (parts[0]) {
    case 'funds':
      return parts[1] ? { name: 'fund', fundId: parts[1] } : { name: 'funds' };
    case 'calls':
      if (parts[1] === 'new') return { name: 'newCall', fundId: q.get('fund') ?? undefined };
      return { name: 'calls', callId: parts[1], fundId: q.get('fund') ?? undefined };
    case 'investors':
      return { name: 'investors' };
    case 'inbox':
      return { name: 'inbox' };
    case 'credit':
      return parts[1] ? { name: 'borrower', borrowerId: parts[1] } : { name: 'credit' };
    case 'sign-in':
      return { name: 'signIn', next: q.get('next') ?? undefined };
    default:
      return { name: 'funds' };
  }
}

export function href(route: Route): string {
  switch (route.name) {
    case 'funds':
      return '#/funds';
    case 'fund':
      return `#/funds/${encodeURIComponent(route.fundId)}`;
    case 'calls':
      return `#/calls${route.callId ? `/${encodeURIComponent(route.callId)}` : ''}${route.fundId ? `?fund=${encodeURIComponent(route.fundId)}` : ''}`;
    case 'newCall':
      return `#/calls/new${route.fundId ? `?fund=${encodeURIComponent(route.fundId)}` : ''}`;
    case 'investors':
      return '#/investors';
    case 'inbox':
      return '#/inbox';
    case 'credit':
      return '#/credit';
    case 'borrower':
      return `#/credit/${encodeURIComponent(route.borrowerId)}`;
    case 'signIn':
      return `#/sign-in${route.next ? `?next=${encodeURIComponent(route.next)}` : ''}`;
  }
}

export function navigate(route: Route) {
  location.hash = href(route);
}

function subscribe(cb: () => void) {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  return parseRoute(hash);
}
