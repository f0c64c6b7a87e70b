/**
 * The sign-in piece of the contract (host-provided: the desktop main
 * process and the web host answer it through their sync session).
 *
 *   signIn  {serverUrl, username, password} → SessionView
 *   signOut {}                              → SessionView
 *   (session {} → SessionView is in ./ui-contract)
 *
 * Tokens never cross to the renderer: the refresh token goes to the OS
 * keychain, the access token stays in the host's memory; SessionView says
 * only who is signed in, where, and whether a new sign-in is needed to sync.
 */
import { z } from 'zod';
import type { SessionView } from './ui-contract';

/** WHATWG URL exists wherever shared/ runs (Node, Chromium); shared's lib has no DOM or Node types, so the part used is declared here. */
declare const URL: new (url: string) => { protocol: string; hostname: string; username: string; password: string; search: string; hash: string };

/** Why a server URL is not acceptable, or null. http is accepted only for this machine (the embedded demo server); anything remote must be https. */
export function serverUrlProblem(url: string): string | null {
  let u: InstanceType<typeof URL>;
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

export interface SignInContractOutputs {
  signIn: SessionView;
  signOut: SessionView;
}
