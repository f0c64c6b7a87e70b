import { describe, expect, it } from 'vitest';
import { ErrorBoxThrottle, fatalErrorMessage, loadFailureDialog, rendererGoneDialog } from '../../electron/main/crash-policy';
import { JobNotifier, LONG_JOB_MS, rejectionNotification } from '../../electron/main/notify-policy';

describe('notifications', () => {
  const job = (state: 'running' | 'done' | 'failed' | 'cancelled', done = 10) => ({ jobId: 'j1', kind: 'import funds', done, total: 100, state, ...(state === 'failed' ? { message: 'line 3: bad date' } : {}) });

  it('announces a long job that finished while the window was in the background', () => {
    const n = new JobNotifier();
    expect(n.observe(job('running'), 0, false)).toBeNull();
    expect(n.observe(job('running', 50), 5_000, false)).toBeNull();
    expect(n.observe(job('done', 100), LONG_JOB_MS + 1, false)).toMatchObject({ title: 'Import funds finished', body: '100 of 100 rows in 10 s.' });
  });

  it('stays quiet for short jobs, cancelled jobs, and while the window has focus', () => {
    const n = new JobNotifier();
    n.observe(job('running'), 0, false);
    expect(n.observe(job('done'), 1_000, false)).toBeNull();
    n.observe(job('running'), 0, false);
    expect(n.observe(job('done'), 60_000, true)).toBeNull();
    n.observe(job('running'), 0, false);
    expect(n.observe(job('cancelled'), 60_000, false)).toBeNull();
    expect(n.observe(job('done'), 60_000, false)).toBeNull(); // never seen running
  });

  it('says when a long job failed', () => {
    const n = new JobNotifier();
    n.observe(job('running'), 0, false);
    expect(n.observe(job('failed'), 20_000, false)).toMatchObject({ title: 'Import funds failed', body: 'line 3: bad date' });
  });

  it('announces new rejections, whether or not the window has focus', () => {
    expect(rejectionNotification(null, 0)).toBeNull();
    expect(rejectionNotification(null, 2)).toMatchObject({ title: 'The server rejected 2 changes', action: 'open-inbox' });
    expect(rejectionNotification(2, 3)).toMatchObject({ title: 'The server rejected a change' });
    expect(rejectionNotification(3, 3)).toBeNull();
    expect(rejectionNotification(3, 1)).toBeNull();
  });
});

describe('never a silent white window', () => {
  it('offers to reload a crashed renderer, not after a clean exit', () => {
    expect(rendererGoneDialog({ reason: 'clean-exit', exitCode: 0 })).toBeNull();
    const d = rendererGoneDialog({ reason: 'crashed', exitCode: 139 })!;
    expect(d.buttons).toEqual(['Reload', 'Quit']);
    expect(d.message).toMatch(/crashed/);
    expect(d.detail).toMatch(/safe/);
    expect(rendererGoneDialog({ reason: 'something-new', exitCode: 1 })?.message).toMatch(/stopped/);
  });

  it('reports a failed page load of the main frame only', () => {
    expect(loadFailureDialog(-6, 'ERR_FILE_NOT_FOUND', 'app://meridian/index.html', true)?.detail).toContain('ERR_FILE_NOT_FOUND');
    expect(loadFailureDialog(-3, 'ERR_ABORTED', 'app://meridian/index.html', true)).toBeNull();
    expect(loadFailureDialog(-6, 'x', 'app://meridian/a.png', false)).toBeNull();
  });

  it('shows uncaught errors with where the log is, and not in a loop', () => {
    const m = fatalErrorMessage(new Error('boom\n at x'), '/logs/main.log');
    expect(m.content).toContain('boom');
    expect(m.content).not.toContain('at x');
    expect(m.content).toContain('/logs/main.log');
    const t = new ErrorBoxThrottle(10_000);
    expect(t.allow(0)).toBe(true);
    expect(t.allow(5_000)).toBe(false);
    expect(t.allow(10_001)).toBe(true);
  });
});
