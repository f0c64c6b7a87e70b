/** The shell: empty states that say what to do, keyboard navigation, themes that follow the OS. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanConsole, startApp, type App } from './harness';

let app: App;

beforeAll(async () => {
  app = await startApp({ colorScheme: 'dark', today: () => '2024-06-30' }); // an empty profile
});

afterAll(async () => {
  await app?.close();
});

describe('shell', () => {
  it('an empty profile says what to do', async () => {
    const { page } = app;
    await page.goto(app.host.url);
    await page.getByText('No funds in this profile yet').waitFor();
    expect(await page.locator('.empty').textContent()).toContain('meridian import funds FILE');
    expect(await page.getByTestId('sync-state').getAttribute('data-state')).toBe('standalone');
  });

  it('follows the OS theme, and the switch overrides it', async () => {
    const { page } = app;
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await page.getByRole('button', { name: 'Light' }).click();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('light');
    await page.reload();
    await page.getByText('No funds in this profile yet').waitFor();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('light'); // remembered
    await page.getByRole('button', { name: 'Auto' }).click();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
  });

  it('moves between sections with the keyboard and focuses search with /', async () => {
    const { page } = app;
    await page.keyboard.press('Alt+2');
    await page.getByTestId('screen-calls').waitFor();
    expect(page.url()).toContain('#/calls');
    await page.getByText('No capital calls yet').waitFor();
    await page.keyboard.press('Alt+3');
    await page.getByTestId('screen-investors').waitFor();
    await page.getByText('No LP commitments yet').waitFor();
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Search investors');
    await page.keyboard.press('Escape');
    await page.locator('body').click();
    await page.keyboard.press('Alt+4');
    await page.getByTestId('screen-inbox').waitFor();
    await page.getByText('No rejected changes').waitFor();
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('an unknown fund says so instead of a blank screen', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/funds/does-not-exist`);
    await page.getByText('Fund not found').waitFor();
  });

  it('keeps the console clean', () => {
    expectCleanConsole(app);
  });
});
