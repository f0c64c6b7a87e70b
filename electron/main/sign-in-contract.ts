/**
 * PROPOSED contract additions for sign-in (issue 6). Pure zod, so the lead
 * can move them as-is into shared/api/contract.ts (`contractInputs`,
 * `ContractOutputs`, and `session` into `ContractEvents`); the preload then
 * exposes them with no edit, because it derives its keys from contractInputs.
 *
 *   signIn  {serverUrl, username, password} → DesktopSessionView
 *   signOut {}                              → DesktopSessionView
 *   session {}                              → DesktopSessionView   (already proposed in the UI additions)
 *
 * Tokens never cross to the renderer: the refresh token goes to the OS
 * keychain, the access token stays in main-process memory; the session
 * view says only who is signed in, where, and whether a new sign-in is
 * needed to sync.
 */
import { z } from 'zod';
import type { SessionView } from '../hosts/web/ui-contract';

/** http is accepted only for this machine (the embedded demo server); anything remote must be https. */
export function serverUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL (e.g. https://meridian.example.com)';
  }
  if (u.username || u.password) return 'must not contain a user name or password';
  if (u.search || u.hash) return 'must not contain ?query or #fragment';
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]')) return null;
  return 'must start with https:// (http:// only for a server on this machine)';
}

export const signInContractInputs = {
  signIn: z.strictObject({
    serverUrl: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .superRefine((v, ctx) => {
        const problem = serverUrlProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: `server URL ${problem}` });
      }),
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(1024),
  }),
  signOut: z.strictObject({}),
} as const;

export type SignInMethod = keyof typeof signInContractInputs;
export type SignInInput<M extends SignInMethod> = z.input<(typeof signInContractInputs)[M]>;

/** SessionView (UI additions) plus the sign-in state. Proposed: merge these fields into SessionView. */
export interface DesktopSessionView extends SessionView {
  /** Central server this profile syncs with; null for a standalone profile. */
  server: string | null;
  /** A sign-in is held in this process (access token in memory) or stored in the keychain. */
  signedIn: boolean;
  /** The stored sign-in ended (expired, revoked, signed out): work continues locally; sign in again to sync. */
  signInRequired: boolean;
  /** Server to pre-fill in the sign-in form when the profile is not bound yet (MERIDIAN_SERVER_URL, e.g. the embedded demo server). */
  suggestedServer: string | null;
  /** Set when credentials cannot be kept in the OS keychain (shown once in the sign-in screen). */
  credentialNotice: string | null;
}

export interface SignInApi {
  signIn(input: SignInInput<'signIn'>): Promise<DesktopSessionView>;
  signOut(input: SignInInput<'signOut'>): Promise<DesktopSessionView>;
  session(input?: Record<string, never>): Promise<DesktopSessionView>;
}
