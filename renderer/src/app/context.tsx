/** App-wide state: who is signed in, the rules in force, the theme, and toasts. */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { hasRole, type Role } from '../../../shared/domain/roles';
import { DEFAULT_RULES, type BusinessRules } from '../../../shared/rules/business-rules';
import { api } from '../bridge/api';
import type { SessionView } from '../bridge/ui-contract';
import type { Theme } from '../lib/theme';

export interface Toast {
  id: number;
  kind: 'ok' | 'error' | 'info';
  text: string;
}

interface AppState {
  session: SessionView | null;
  rules: BusinessRules;
  theme: Theme;
  can: (role: Role) => boolean;
  toast: (kind: Toast['kind'], text: string) => void;
}

const Ctx = createContext<AppState | null>(null);

export function useApp(): AppState {
  const c = useContext(Ctx);
  if (!c) throw new Error('useApp outside AppProvider');
  return c;
}

export function AppProvider({ theme, children }: { theme: Theme; children: ReactNode }) {
  const [session, setSession] = useState<SessionView | null>(null);
  const [rules, setRules] = useState<BusinessRules>(DEFAULT_RULES);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  useEffect(() => {
    const load = () => {
      api().session({}).then(setSession, () => {});
      api().businessRules({}).then(setRules, () => {});
    };
    load();
    const offS = api().on('session', setSession);
    const offC = api().on('connection', (c) => c.state === 'connected' && load());
    const offD = api().on('dataChanged', (e) => e.entities.includes('business_rules') && api().businessRules({}).then(setRules, () => {}));
    return () => {
      offS();
      offC();
      offD();
    };
  }, []);

  const toast = useCallback((kind: Toast['kind'], text: string) => {
    const id = nextId.current++;
    setToasts((t) => [...t.slice(-3), { id, kind, text }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), kind === 'error' ? 9000 : 4000);
  }, []);

  const value = useMemo<AppState>(
    () => ({ session, rules, theme, toast, can: (role) => (session ? hasRole(session.role, role) : false) }),
    [session, rules, theme, toast],
  );

  return (
    <Ctx.Provider value={value}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <span>{t.text}</span>
            <button className="close" aria-label="Dismiss" onClick={() => setToasts((all) => all.filter((x) => x.id !== t.id))}>
              ×
            </button>
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}
