/**
 * OS notifications (pure decisions; the glue shows them with Electron's
 * Notification): a long job (import, export) that finished or failed while
 * the analyst was elsewhere, and new rejections from the server — those
 * need action, so they are announced whether or not the window has focus.
 */
import type { JobProgressEvent } from '../../shared/api/contract';

/** A job that ran at least this long is worth a notification. */
export const LONG_JOB_MS = 10_000;

export interface NotificationModel {
  title: string;
  body: string;
  /** What clicking it does. */
  action: 'focus' | 'open-inbox';
}

/** Follows jobProgress events and says when one deserves a notification. */
export class JobNotifier {
  private readonly started = new Map<string, number>();

  constructor(private readonly longMs = LONG_JOB_MS) {}

  observe(p: JobProgressEvent, now: number, windowFocused: boolean): NotificationModel | null {
    if (p.state === 'running') {
      if (!this.started.has(p.jobId)) this.started.set(p.jobId, now);
      return null;
    }
    const start = this.started.get(p.jobId);
    this.started.delete(p.jobId);
    if (start === undefined || now - start < this.longMs || windowFocused || p.state === 'cancelled') return null;
    const what = p.kind.charAt(0).toUpperCase() + p.kind.slice(1);
    const secs = Math.round((now - start) / 1000);
    if (p.state === 'failed') return { title: `${what} failed`, body: p.message ?? `It stopped after ${secs} s; open Meridian for the details.`, action: 'focus' };
    const count = p.total !== null ? `${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} rows` : `${p.done.toLocaleString('en-US')} rows`;
    return { title: `${what} finished`, body: `${count} in ${secs} s.`, action: 'focus' };
  }
}

/**
 * New rejections since the last status: the open count went up. `previous`
 * null = first status after start (rejections already waiting are announced
 * once too, so nothing the server refused goes unnoticed).
 */
export function rejectionNotification(previous: number | null, next: number): NotificationModel | null {
  const added = previous === null ? next : next - previous;
  if (added <= 0) return null;
  return {
    title: added === 1 ? 'The server rejected a change' : `The server rejected ${added} changes`,
    body: `${next === 1 ? 'It is' : `${next} are`} waiting in the rejection inbox: discard or edit and resubmit.`,
    action: 'open-inbox',
  };
}
