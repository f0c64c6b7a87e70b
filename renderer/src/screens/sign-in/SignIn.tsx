/**
 * Sign-in to the central server (#/sign-in): server URL, user name and
 * password, sent once to the host through the contract's signIn. The host
 * keeps the tokens (refresh token in the OS keychain, access token in
 * memory); this screen never sees them. Errors show the contract's code and
 * the field it is about. Work continues on local data without signing in:
 * a sign-in is needed only to sync.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useApp } from '../../app/context';
import { api, toApiError, type ApiError } from '../../bridge/api';
import { navigate } from '../../lib/router';
import { serverHost } from './server-host';
import './sign-in.css';

const FIELDS = ['serverUrl', 'username', 'password'] as const;
type Field = (typeof FIELDS)[number];

/** The problems of an error, by the form field they name ("serverUrl: …" → serverUrl). */
export function fieldErrors(error: ApiError | null): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  for (const p of error?.problems ?? []) {
    const field = FIELDS.find((f) => p.path === f || p.path?.startsWith(`${f}.`));
    if (field && !out[field]) out[field] = p.message.replace(new RegExp(`^${field}: `), '');
  }
  return out;
}

export function SignIn({ next }: { next?: string }) {
  const { session, toast } = useApp();
  const [serverUrl, setServerUrl] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  // Pre-fill the server once the session is known (the bound server, or the one the host suggests).
  useEffect(() => {
    if (session?.suggestedServer) setServerUrl((s) => s || session.suggestedServer!);
  }, [session?.suggestedServer]);

  const leave = () => {
    if (next && next.startsWith('#/') && !next.startsWith('#/sign-in')) location.hash = next;
    else navigate({ name: 'funds' });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api().signIn({ serverUrl, username, password });
      setPassword('');
      toast('ok', `Signed in as ${s.displayName} on ${serverHost(s.server)}.`);
      leave();
    } catch (err) {
      setError(toApiError(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const signOut = async () => {
    setBusy(true);
    setError(null);
    try {
      await api().signOut({});
      toast('info', 'Signed out. Your work stays on this machine; sign in again to sync.');
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const fields = fieldErrors(error);
  const invalid = (f: Field) => (fields[f] ? { 'aria-invalid': true as const, 'aria-describedby': `sign-in-${f}-error` } : {});

  return (
    <div className="page" data-testid="sign-in-page">
      <div className="page-head">
        <h1>Sign in to the central server</h1>
      </div>
      <div className="sign-in">
        {session?.signedIn && session.server ? (
          <p className="sign-in-state" data-testid="sign-in-current">
            Signed in as <strong>{session.displayName}</strong> on <strong>{serverHost(session.server)}</strong>.{' '}
            <button type="button" className="btn sm" onClick={() => void signOut()} disabled={busy} data-testid="sign-in-sign-out">
              Sign out
            </button>
          </p>
        ) : (
          <p className="sign-in-state" data-testid="sign-in-current">
            {session?.signInRequired
              ? `Your sign-in to ${serverHost(session.server)} has ended. Your work is kept on this machine; sign in again to sync it.`
              : 'Not signed in: everything you do is kept on this machine. Sign in to sync with the firm’s central server.'}
          </p>
        )}
        {session?.credentialNotice && (
          <p className="hint" role="note" data-testid="sign-in-credential-notice">
            {session.credentialNotice}
          </p>
        )}
        {error && (
          <div className="sign-in-error" role="alert" data-testid="sign-in-error" data-code={error.code}>
            <strong>{error.code}</strong> {error.message}
          </div>
        )}
        <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
          <div className="field wide">
            <label htmlFor="sign-in-serverUrl">Server URL</label>
            <input
              id="sign-in-serverUrl"
              className="input"
              type="url"
              inputMode="url"
              autoComplete="url"
              placeholder="https://meridian.example.com"
              value={serverUrl}
              onChange={(e) => setServerUrl(e.target.value)}
              data-testid="sign-in-server"
              {...invalid('serverUrl')}
            />
            {fields.serverUrl && (
              <span className="error" id="sign-in-serverUrl-error" data-testid="sign-in-serverUrl-error" data-field="serverUrl">
                {fields.serverUrl}
              </span>
            )}
          </div>
          <div className="field">
            <label htmlFor="sign-in-username">User name</label>
            <input
              id="sign-in-username"
              className="input"
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              data-testid="sign-in-username"
              autoFocus
              {...invalid('username')}
            />
            {fields.username && (
              <span className="error" id="sign-in-username-error" data-testid="sign-in-username-error" data-field="username">
                {fields.username}
              </span>
            )}
          </div>
          <div className="field">
            <label htmlFor="sign-in-password">Password</label>
            <input
              id="sign-in-password"
              className="input"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="sign-in-password"
              {...invalid('password')}
            />
            {fields.password && (
              <span className="error" id="sign-in-password-error" data-testid="sign-in-password-error" data-field="password">
                {fields.password}
              </span>
            )}
          </div>
          <div className="field wide sign-in-actions">
            <span>
              <button type="submit" className="btn primary" disabled={busy} data-testid="sign-in-submit">
                {busy ? 'Signing in…' : 'Sign in'}
              </button>{' '}
              <button type="button" className="btn" onClick={leave} data-testid="sign-in-offline">
                Continue on this machine
              </button>
            </span>
          </div>
        </form>
      </div>
    </div>
  );
}
